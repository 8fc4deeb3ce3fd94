package io.snaplake.sharing.domain;

import static io.snaplake.sharing.domain.Lake.ANALYTICS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.snaplake.sharing.domain.AccessReport.ReadableTable;
import io.snaplake.sharing.domain.TableOutcome.HeldBackColumn;
import io.snaplake.sharing.domain.TableOutcome.HoldReason;
import io.snaplake.sharing.domain.TableOutcome.Sharing;
import io.snaplake.testkit.SimulatedLakeFormation;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Plan, apply and check through the real SDK clients: Glue in moto, Lake Formation in
 * {@link SimulatedLakeFormation} (moto's has no data cells filters and validates nothing; see the double).
 * Each test has a Glue database of its own; the tag-based grant is catalogue-wide, so tests read the
 * access check of their own database only.
 */
class SharerTest {

    private final Lake lake = new Lake();
    private final SimulatedLakeFormation lakeFormation = Lake.endpoint();

    private SharingPolicy policy(String database, String tables) {
        return PolicyLoader.parse("policy.yaml", SharingPolicies.ordersCluster("[\"*email*\", \"*phone*\", \"password*\"]", database,
                "[\"" + ANALYTICS + "\"]", tables));
    }

    private String demoDatabase() {
        String database = lake.newDatabase();
        lake.createTable(database, "ordersdb_public_orders", "id", "customer_id", "total");
        lake.createTable(database, "ordersdb_public_customers", "id", "country", "email", "created_at");
        lake.createTable(database, "ordersdb_public_payments", "id", "card_token", "amount");
        return database;
    }

    private static final String DEMO_TABLES = """
            share: [public.orders]
            filtered:
              public.customers: {include: [id, country, created_at]}
            """;

    @Test
    void sharesOneTableWhole_oneThroughAFilter_andKeepsTheRestPrivate() {
        String database = demoDatabase();
        Sharer sharer = lake.sharer(policy(database, DEMO_TABLES));

        Plan plan = sharer.plan(List.of(), Map.of());
        ApplyResult result = sharer.apply(plan);

        assertThat(result.failures()).isEmpty();
        assertThat(plan.problems()).isEmpty();
        assertThat(plan.outcomes()).containsExactly(
                new TableOutcome(database, "ordersdb_public_customers", Sharing.FILTERED, List.of("id", "country", "created_at"),
                        Optional.of("snaplake_share"), List.of()),
                new TableOutcome(database, "ordersdb_public_orders", Sharing.WHOLE, List.of("id", "customer_id", "total", "date"),
                        Optional.empty(), List.of()),
                new TableOutcome(database, "ordersdb_public_payments", Sharing.PRIVATE, List.of(), Optional.empty(), List.of()));
        assertThat(readable(sharer, database)).containsExactly(
                new ReadableTable(database, "ordersdb_public_customers", List.of("id", "country", "created_at"),
                        List.of("data cells filter " + database + ".ordersdb_public_customers/snaplake_share to " + ANALYTICS), List.of()),
                new ReadableTable(database, "ordersdb_public_orders", List.of("id", "customer_id", "total", "date"),
                        List.of("tag expression {confidential=[public]} (tables) to " + ANALYTICS), List.of()));
        assertThat(sharer.check(ANALYTICS).sensitiveReadable()).isFalse();
    }

    @Test
    void changesNothing_whenAppliedTwice() {
        String database = demoDatabase();
        Sharer sharer = lake.sharer(policy(database, DEMO_TABLES));
        sharer.apply(sharer.plan(List.of(), Map.of()));
        int before = lakeFormation.requests().size();

        Plan second = sharer.plan(List.of(), Map.of());
        ApplyResult applied = sharer.apply(second);

        assertThat(second.changes()).isEmpty();
        assertThat(applied.failures()).isEmpty();
        assertThat(lakeFormation.requests().subList(before, lakeFormation.requests().size()))
                .extracting(SimulatedLakeFormation.Request::operation)
                .allMatch(operation -> operation.startsWith("Get") || operation.startsWith("List"));
    }

    @Test
    void keepsANewTablePrivate() {
        String database = demoDatabase();
        Sharer sharer = lake.sharer(policy(database, DEMO_TABLES));
        sharer.apply(sharer.plan(List.of(), Map.of()));

        lake.createTable(database, "ordersdb_public_refunds", "id", "order_id", "amount");
        Plan plan = sharer.plan(List.of(), Map.of());
        sharer.apply(plan);

        assertThat(plan.changes()).isEmpty();
        assertThat(plan.outcomes()).contains(new TableOutcome(database, "ordersdb_public_refunds", Sharing.PRIVATE, List.of(),
                Optional.empty(), List.of()));
        assertThat(readable(sharer, database)).extracting(ReadableTable::table)
                .containsExactly("ordersdb_public_customers", "ordersdb_public_orders");
    }

    @Test
    void revokesEverythingThePolicyNoLongerNames() {
        String database = demoDatabase();
        lake.sharer(policy(database, DEMO_TABLES)).apply(lake.sharer(policy(database, DEMO_TABLES)).plan(List.of(), Map.of()));
        Sharer narrower = lake.sharer(policy(database, "share: []"));

        Plan plan = narrower.plan(List.of(), Map.of());
        ApplyResult result = narrower.apply(plan);

        assertThat(result.failures()).isEmpty();
        assertThat(plan.changes()).extracting(Change::describe).contains(
                "tag table " + database + ".ordersdb_public_orders confidential=public (inherits again)",
                "revoke SELECT on data cells filter " + database + ".ordersdb_public_customers/snaplake_share to " + ANALYTICS,
                "revoke DESCRIBE on database " + database + " to " + ANALYTICS,
                "data cells filter " + database + ".ordersdb_public_customers/snaplake_share include [id, country, created_at] all rows");
        assertThat(readable(narrower, database)).isEmpty();
        assertThat(lakeFormation.dataCellsFilters()).noneMatch(filter -> filter.path("DatabaseName").asText().equals(database));
        assertThat(narrower.plan(List.of(), Map.of()).changes()).isEmpty();
    }

    @Test
    void updatesTheFilter_whenTheIncludeListChanges() {
        String database = demoDatabase();
        lake.sharer(policy(database, DEMO_TABLES)).apply(lake.sharer(policy(database, DEMO_TABLES)).plan(List.of(), Map.of()));
        Sharer changed = lake.sharer(policy(database, """
                filtered:
                  public.customers: {include: [id, country], row-filter: "country = 'FR'"}
                """));

        Plan plan = changed.plan(List.of(), Map.of());
        changed.apply(plan);

        assertThat(plan.changes()).extracting(Change::describe).contains("data cells filter " + database
                + ".ordersdb_public_customers/snaplake_share include [id, country] rows where country = 'FR' (was " + database
                + ".ordersdb_public_customers/snaplake_share include [id, country, created_at] all rows)");
        assertThat(readable(changed, database)).containsExactly(new ReadableTable(database, "ordersdb_public_customers",
                List.of("id", "country"), List.of("data cells filter " + database + ".ordersdb_public_customers/snaplake_share to " + ANALYTICS),
                List.of("country = 'FR'")));
    }

    @Test
    void holdsBackANewColumnOfAWholeTable_untilThePolicyNamesIt() {
        String database = demoDatabase();
        Sharer sharer = lake.sharer(policy(database, DEMO_TABLES));
        sharer.apply(sharer.plan(List.of(), Map.of()));
        lake.addColumns(database, "ordersdb_public_orders", "discount", "buyer_phone");

        Plan plan = sharer.plan(List.of(), Map.of("ordersdb_public_orders", Set.of("discount")));
        sharer.apply(plan);

        assertThat(plan.outcomes()).contains(new TableOutcome(database, "ordersdb_public_orders", Sharing.WHOLE,
                List.of("id", "customer_id", "total", "date"), Optional.empty(),
                List.of(new HeldBackColumn("buyer_phone", HoldReason.SENSITIVE), new HeldBackColumn("discount", HoldReason.NEW_COLUMN))));
        assertThat(readable(sharer, database).get(1).columns()).containsExactly("id", "customer_id", "total", "date");
        // Held back stays held back on the next day, which does not report the column as new any more.
        assertThat(sharer.plan(List.of(), Map.of()).changes()).isEmpty();

        Sharer naming = lake.sharer(policy(database, """
                share: [{table: public.orders, columns: [id, customer_id, total, date, discount]}]
                filtered:
                  public.customers: {include: [id, country, created_at]}
                """));
        naming.apply(naming.plan(List.of(), Map.of()));
        assertThat(readable(naming, database).get(1).columns()).containsExactly("id", "customer_id", "total", "discount", "date");
    }

    @Test
    void reportsBatchEntriesRefusedInsideASuccessfulAnswer_andRetriesRacingOnes() {
        String database = demoDatabase();
        Sharer sharer = lake.sharer(policy(database, DEMO_TABLES));
        lakeFormation.raceNextEntries(2);
        lakeFormation.refuseGrants(entry -> entry.path("Resource").has("DataCellsFilter")
                && entry.path("Resource").path("DataCellsFilter").path("DatabaseName").asText().equals(database), "AccessDeniedException");
        try {
            ApplyResult result = sharer.apply(sharer.plan(List.of(), Map.of()));

            assertThat(result.failures()).containsExactly(new EntryFailure("grant SELECT on data cells filter " + database
                    + ".ordersdb_public_customers/snaplake_share to " + ANALYTICS, "AccessDeniedException", "refused by the test"));
            assertThat(readable(sharer, database)).extracting(ReadableTable::table).containsExactly("ordersdb_public_orders");
        } finally {
            lakeFormation.refuseGrants(entry -> false, "InvalidInputException");
        }
        // The next apply grants exactly what stayed undone.
        Plan retry = sharer.plan(List.of(), Map.of());
        assertThat(retry.changes()).extracting(Change::describe).containsExactly(
                "grant SELECT on data cells filter " + database + ".ordersdb_public_customers/snaplake_share to " + ANALYTICS);
        assertThat(sharer.apply(retry).failures()).isEmpty();
    }

    @Test
    void sendsAtMostTwentyEntriesPerBatch() {
        String database = lake.newDatabase();
        StringBuilder filtered = new StringBuilder("filtered:\n");
        for (int i = 0; i < 25; i++) {
            lake.createTable(database, "ordersdb_public_t" + i, "id", "name");
            filtered.append("  public.t").append(i).append(": {include: [id]}\n");
        }
        Sharer sharer = lake.sharer(policy(database, filtered.toString()));
        int before = lakeFormation.requests().size();

        ApplyResult result = sharer.apply(sharer.plan(List.of(), Map.of()));

        assertThat(result.failures()).isEmpty();
        List<Integer> batchSizes = lakeFormation.requests().subList(before, lakeFormation.requests().size()).stream()
                .filter(request -> request.operation().equals("BatchGrantPermissions"))
                .map(request -> request.body().path("Entries").size()).toList();
        assertThat(batchSizes).containsExactly(20, 6);
        assertThat(readable(sharer, database)).hasSize(25);
    }

    private List<ReadableTable> readable(Sharer sharer, String database) {
        return sharer.check(ANALYTICS).tables().stream().filter(table -> table.database().equals(database)).toList();
    }

    static List<JsonNode> grantsOn(SimulatedLakeFormation lakeFormation, String database) {
        return lakeFormation.permissions().stream().filter(grant -> grant.path("Resource").toString().contains(database)).toList();
    }
}
