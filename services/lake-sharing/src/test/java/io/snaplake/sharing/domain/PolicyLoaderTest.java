package io.snaplake.sharing.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snaplake.sharing.domain.SharingPolicy.ClusterPolicy;
import io.snaplake.sharing.domain.SharingPolicy.DatabasePolicy;
import io.snaplake.sharing.domain.SharingPolicy.FilteredTable;
import io.snaplake.sharing.domain.SharingPolicy.WholeTable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PolicyLoaderTest {

    @Test
    void readsACompletePolicy_withLinesOfEveryEntry() {
        String yaml = """
                sensitive-columns: ["*email*", "password*"]
                clusters:
                  orders:
                    glue-database: snaplake_orders
                    recipients:
                      - "222222222222"
                      - {account: "333333333333", principals: ["arn:aws:iam::333333333333:role/analyst"], grant-option: true}
                    databases:
                      ordersdb:
                        share:
                          - public.orders
                          - {table: public.order_lines, columns: [id, order_id, SKU]}
                        filtered:
                          public.customers: {include: [id, country], row-filter: "country = 'FR'"}
                """;

        SharingPolicy policy = PolicyLoader.parse("policy.yaml", yaml);

        assertThat(policy.sensitive().patterns()).containsExactly("*email*", "password*");
        assertThat(policy.clusters()).isEqualTo(Map.of("orders", new ClusterPolicy("orders", "snaplake_orders",
                List.of(Recipient.account("222222222222", false),
                        new Recipient("333333333333", "arn:aws:iam::333333333333:role/analyst", true)),
                Map.of("ordersdb", new DatabasePolicy("ordersdb",
                        List.of(new WholeTable("public.orders", "ordersdb_public_orders", Optional.empty(), 11),
                                new WholeTable("public.order_lines", "ordersdb_public_order_lines",
                                        Optional.of(List.of("id", "order_id", "sku")), 12)),
                        List.of(new FilteredTable("public.customers", "ordersdb_public_customers", Optional.of(List.of("id", "country")),
                                Optional.empty(), Optional.of("country = 'FR'"), 14)),
                        9)),
                3)));
    }

    @Test
    void namesTheLineAndTheFix_ofEveryProblem() {
        String yaml = SharingPolicies.ordersCluster("[\"*email*\", \"password*\"]", "snaplake_orders",
                "[{account: \"222222222222\", grant-option: true}, \"12345\"]", """
                share:
                  - {table: public.orders, columns: [id, customer_email]}
                  - public.orders
                filtered:
                  public.customers: {include: [id, Password_hash]}
                  public.addresses: {exclude: [street]}
                secret: yes
                """);

        assertThatThrownBy(() -> PolicyLoader.parse("policy.yaml", yaml))
                .isInstanceOfSatisfying(InvalidPolicyException.class, e -> assertThat(e.problems()).containsExactly(
                        new PolicyProblem("policy.yaml", 5, "'12345' is not a 12-digit AWS account id",
                                "write the account id in quotes, e.g. \"222222222222\""),
                        new PolicyProblem("policy.yaml", 14, "unknown key 'secret' in database 'ordersdb'", "use one of filtered, share"),
                        new PolicyProblem("policy.yaml", 9, "column 'customer_email' of 'public.orders' in 'columns' matches the sensitive "
                                + "pattern '*email*' and is never shared",
                                "remove it from 'columns' (it is never shared; the sharer holds it back), or share the table through "
                                        + "'filtered' with an include list"),
                        new PolicyProblem("policy.yaml", 10, "table 'public.orders' is already named at line 9",
                                "name each table once: in 'share' (whole) or in 'filtered' (some columns)"),
                        new PolicyProblem("policy.yaml", 12, "column 'Password_hash' of 'public.customers' in 'include' matches the "
                                + "sensitive pattern 'password*' and is never shared", "remove it from the include list"),
                        new PolicyProblem("policy.yaml", 13, "'public.addresses' has an exclude list but a recipient of this cluster is "
                                + "given grant-option: AWS grants a data cells filter with grant option only when it has an include list",
                                "replace 'exclude' by include: [<the columns to share>]")));
    }

    @Test
    void refusesWholeTablesForDifferentRecipients_becauseTheTagGrantIsCatalogueWide() {
        String yaml = """
                sensitive-columns: []
                clusters:
                  orders:
                    glue-database: snaplake_orders
                    recipients: ["222222222222"]
                    databases: {ordersdb: {share: [public.orders]}}
                  billing:
                    glue-database: snaplake_billing
                    recipients: ["333333333333"]
                    databases: {billingdb: {share: [public.invoices]}}
                """;

        assertThatThrownBy(() -> PolicyLoader.parse("policy.yaml", yaml))
                .isInstanceOfSatisfying(InvalidPolicyException.class, e -> assertThat(e.problems()).singleElement()
                        .satisfies(problem -> {
                            assertThat(problem.line()).isEqualTo(7);
                            assertThat(problem.problem()).startsWith("cluster 'billing' shares tables whole with [333333333333] but cluster "
                                    + "'orders' with [222222222222]");
                        }));
    }

    @Test
    void namesTheLine_ofInvalidYaml() {
        assertThatThrownBy(() -> PolicyLoader.parse("policy.yaml", "clusters:\n  orders: [a\n  b: c\n"))
                .isInstanceOfSatisfying(InvalidPolicyException.class, e -> assertThat(e.problems()).singleElement()
                        .satisfies(problem -> assertThat(problem.file() + ":" + problem.line()).isEqualTo("policy.yaml:3")));
    }

    @Test
    void matchesSensitivePatterns_ignoringCase() {
        SensitiveColumns sensitive = new SensitiveColumns(List.of("*email*", "password*", "ssn"));

        assertThat(List.of("email", "Customer_EMAIL_verified", "password_hash", "ssn", "ssn_last4", "my_password", "id"))
                .filteredOn(sensitive::isSensitive)
                .containsExactly("email", "Customer_EMAIL_verified", "password_hash", "ssn");
    }
}
