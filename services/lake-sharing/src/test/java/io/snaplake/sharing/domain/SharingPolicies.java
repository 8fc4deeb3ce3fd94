package io.snaplake.sharing.domain;

/** Sharing policy files for tests: one cluster, orders, whose source database ordersdb shares the tables given. */
final class SharingPolicies {

    private SharingPolicies() {
    }

    /**
     * The policy's lines: 1 sensitive-columns, 3 the cluster, 5 recipients, 7 ordersdb, 8 on its tables.
     *
     * @param sensitiveColumns the YAML list of patterns
     * @param recipients       the YAML list of recipients
     * @param tables           ordersdb's entry (share, filtered), unindented
     */
    static String ordersCluster(String sensitiveColumns, String glueDatabase, String recipients, String tables) {
        return """
                sensitive-columns: %s
                clusters:
                  orders:
                    glue-database: %s
                    recipients: %s
                    databases:
                      ordersdb:
                %s""".formatted(sensitiveColumns, glueDatabase, recipients, tables.indent(8));
    }
}
