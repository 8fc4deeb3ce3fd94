package io.snaplake.sharing.domain;

import java.util.Locale;

/**
 * How the crawler-runner names a source table in Glue: {@code <database>_<schema>_<table>} in lower case
 * (Glue lower-cases names), e.g. ordersdb and public.orders give ordersdb_public_orders.
 */
public final class GlueNames {

    private GlueNames() {
    }

    public static String glueTable(String sourceDatabase, String sourceTable) {
        return (sourceDatabase + "_" + sourceTable.replace('.', '_')).toLowerCase(Locale.ROOT);
    }
}
