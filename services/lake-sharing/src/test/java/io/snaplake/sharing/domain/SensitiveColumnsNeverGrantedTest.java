package io.snaplake.sharing.domain;

import static io.snaplake.sharing.domain.Lake.ANALYTICS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.snaplake.sharing.domain.SharingPolicy.ClusterPolicy;
import io.snaplake.sharing.domain.SharingPolicy.DatabasePolicy;
import io.snaplake.sharing.domain.SharingPolicy.FilteredTable;
import io.snaplake.sharing.domain.SharingPolicy.WholeTable;
import io.snaplake.testkit.SimulatedLakeFormation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Whatever the policy says and however the schema drifts, no sensitive column reaches a grant, a data cells
 * filter, or the recipient's reading. The policies here are built directly, bypassing the loader's
 * validation, so that they name sensitive columns in include lists and in whole tables' column lists: the
 * planner itself must keep them out. Lake Formation is {@link SimulatedLakeFormation} (moto's has no filters).
 */
class SensitiveColumnsNeverGrantedTest {

    private static final SensitiveColumns SENSITIVE = new SensitiveColumns(List.of("*email*", "*phone*", "password*", "*token*"));
    private static final List<String> COLUMNS = List.of("id", "name", "email", "contact_phone", "password_hash", "country",
            "api_token", "total", "Backup_Email", "created_at");

    private final Lake lake = new Lake();
    private final SimulatedLakeFormation lakeFormation = Lake.endpoint();

    @Test
    void noSensitiveColumnIsEverGranted_whateverThePolicyAndTheDrift() {
        Random random = new Random(20261120);
        for (int round = 0; round < 12; round++) {
            String database = lake.newDatabase();
            List<WholeTable> whole = new ArrayList<>();
            List<FilteredTable> filtered = new ArrayList<>();
            Map<String, Set<String>> added = new HashMap<>();
            for (int t = 0; t < 4; t++) {
                String source = "public.t" + t;
                String glueTable = GlueNames.glueTable("ordersdb", source);
                List<String> columns = pick(random, COLUMNS, 3 + random.nextInt(5));
                lake.createTable(database, glueTable, columns.toArray(String[]::new));
                switch (random.nextInt(4)) {
                    case 0 -> whole.add(new WholeTable(source, glueTable, Optional.empty(), 1));
                    case 1 -> whole.add(new WholeTable(source, glueTable, Optional.of(pick(random, COLUMNS, 4)), 1));
                    case 2 -> filtered.add(new FilteredTable(source, glueTable, Optional.of(pick(random, COLUMNS, 4)), Optional.empty(),
                            Optional.empty(), 1));
                    default -> filtered.add(new FilteredTable(source, glueTable, Optional.empty(), Optional.of(pick(random, COLUMNS, 2)),
                            Optional.empty(), 1));
                }
            }
            Sharer sharer = lake.sharer(policy(database, whole, filtered));
            sharer.apply(sharer.plan(List.of(), Map.of()));
            // Drift: every table gains columns, sensitive ones among them, some reported as new and some not.
            for (int t = 0; t < 4; t++) {
                String glueTable = GlueNames.glueTable("ordersdb", "public.t" + t);
                lake.addColumns(database, glueTable, "work_email_" + round, "extra_" + round, "session_token_" + round);
                added.put(glueTable, Set.of("work_email_" + round, "extra_" + round));
            }
            Plan drifted = sharer.plan(List.of(), added);
            assertThat(sharer.apply(drifted).failures()).isEmpty();

            AccessReport report = sharer.check(ANALYTICS);
            assertThat(report.exposures()).as("round %d", round).isEmpty();
            assertThat(report.tables().stream().filter(table -> table.database().equals(database))
                    .flatMap(table -> table.columns().stream())).as("round %d", round).noneMatch(SENSITIVE::isSensitive);
            drifted.outcomes().forEach(outcome -> assertThat(outcome.columns()).noneMatch(SENSITIVE::isSensitive));
        }
        for (JsonNode filter : lakeFormation.dataCellsFilters()) {
            filter.path("ColumnNames").forEach(column -> assertThat(SENSITIVE.isSensitive(column.asText())).as(filter.toString()).isFalse());
            assertThat(filter.has("ColumnWildcard")).as(filter.toString()).isFalse();
        }
        for (SimulatedLakeFormation.Request request : lakeFormation.requests()) {
            if (request.operation().contains("Grant")) {
                request.body().path("Entries").forEach(entry -> {
                    JsonNode resource = entry.path("Resource");
                    assertThat(resource.has("Table")).as(entry.toString()).isFalse();
                    resource.path("TableWithColumns").path("ColumnNames")
                            .forEach(column -> assertThat(SENSITIVE.isSensitive(column.asText())).as(entry.toString()).isFalse());
                    resource.path("LFTagPolicy").path("Expression").forEach(condition ->
                            assertThat(condition.path("TagValues").toString()).as(entry.toString()).doesNotContain("sensitive"));
                });
            }
            if (request.operation().equals("AddLFTagsToResource") && request.body().path("Resource").has("TableWithColumns")
                    && request.body().path("LFTags").toString().contains("\"public\"")) {
                throw new AssertionError("a column was tagged public: " + request.body());
            }
        }
    }

    private static SharingPolicy policy(String database, List<WholeTable> whole, List<FilteredTable> filtered) {
        ClusterPolicy cluster = new ClusterPolicy("orders", database, List.of(Recipient.account(ANALYTICS, false)),
                Map.of("ordersdb", new DatabasePolicy("ordersdb", whole, filtered, 1)), 1);
        return new SharingPolicy("generated", SENSITIVE, Map.of("orders", cluster));
    }

    private static List<String> pick(Random random, List<String> from, int count) {
        List<String> shuffled = new ArrayList<>(from);
        java.util.Collections.shuffle(shuffled, random);
        return shuffled.subList(0, Math.min(count, shuffled.size())).stream().map(String::toLowerCase).toList();
    }
}
