package io.snaplake.lfsharer.messaging;

import io.snaplake.events.CatalogedTable;
import io.snaplake.events.CrawlCompleted;
import io.snaplake.events.FilteredTable;
import io.snaplake.events.HeldBackColumn;
import io.snaplake.events.HoldReason;
import io.snaplake.events.PipelineFailure;
import io.snaplake.events.TablesShared;
import io.snaplake.lfsharer.domain.DayShare;
import io.snaplake.pipeline.EventMetadataFactory;
import io.snaplake.pipeline.FailureEvents;
import io.snaplake.pipeline.Stage;
import io.snaplake.sharing.domain.AccessReport;
import io.snaplake.sharing.domain.ApplyResult;
import io.snaplake.sharing.domain.EntryFailure;
import io.snaplake.sharing.domain.PolicyProblem;
import io.snaplake.sharing.domain.Recipient;
import io.snaplake.sharing.domain.SharingPolicy;
import io.snaplake.sharing.domain.SharingPolicy.ClusterPolicy;
import io.snaplake.sharing.domain.TableOutcome;
import io.snaplake.sharing.domain.TableOutcome.Sharing;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Turns a day's share into the events the sharer emits: one TablesShared, and a PipelineFailure per thing
 * someone must look at (columns held back, the policy naming what Glue lacks, Lake Formation refusing part of
 * the policy, a sensitive column readable, the policy naming another Glue database than the day's).
 */
public record ShareEvents(EventMetadataFactory metadata) {

    static final String TABLES_SHARED = "TablesShared";
    static final String PIPELINE_FAILURE = "PipelineFailure";

    public TablesShared tablesShared(CrawlCompleted input, DayShare.Result result) {
        List<String> recipients = result.cluster().map(ClusterPolicy::recipients).orElse(List.of()).stream()
                .map(Recipient::principal).distinct().toList();
        List<TableOutcome> outcomes = result.applied().map(applied -> dayOutcomes(input, applied)).orElse(List.of());
        List<String> privateTables = new ArrayList<>(tables(outcomes, Sharing.PRIVATE));
        if (result.applied().isEmpty()) {
            privateTables.addAll(dayTables(input));
        }
        return TablesShared.newBuilder()
                .setMetadata(metadata.following(input.getMetadata(), TABLES_SHARED))
                .setSnapshot(input.getSnapshot())
                .setGlueDatabase(input.getGlueDatabase())
                .setRecipientAccountId(result.cluster().flatMap(cluster -> cluster.recipients().stream().findFirst())
                        .map(Recipient::accountId).orElse(""))
                .setRecipients(recipients)
                .setPublicTables(tables(outcomes, Sharing.WHOLE))
                .setFilteredTables(outcomes.stream().filter(o -> o.sharing() == Sharing.FILTERED).map(outcome -> FilteredTable.newBuilder()
                        .setTable(outcome.table())
                        .setFilterName(outcome.filterName().orElse(""))
                        .setIncludedColumns(outcome.columns())
                        .setRowFilter(result.cluster().flatMap(cluster -> cluster.filteredTable(outcome.table()))
                                .flatMap(table -> table.rowFilter()).orElse(null))
                        .build()).toList())
                .setPrivateTables(privateTables.stream().sorted().toList())
                .setHeldBackColumns(outcomes.stream().flatMap(outcome -> outcome.heldBack().stream()
                        .map(held -> new HeldBackColumn(outcome.table(), held.column(), HoldReason.valueOf(held.reason().name())))).toList())
                .setComplete(result.applied().map(ApplyResult::complete).orElse(true))
                .build();
    }

    /** The failures to report for the day, each with its own deterministic event id. */
    public List<PipelineFailure> failures(CrawlCompleted input, DayShare.Result result) {
        List<PipelineFailure> failures = new ArrayList<>();
        if (result.applied().isEmpty()) {
            return failures;
        }
        String day = "cluster " + input.getSnapshot().getClusterId() + " (" + input.getSnapshot().getSnapshotDate() + ", Glue database "
                + input.getGlueDatabase() + ")";
        ApplyResult applied = result.applied().get();
        List<String> held = dayOutcomes(input, applied).stream()
                .flatMap(outcome -> outcome.heldBack().stream().filter(h -> h.reason() != TableOutcome.HoldReason.NOT_IN_POLICY)
                        .map(h -> outcome.table() + "." + h.column() + " (" + h.reason().name().toLowerCase(Locale.ROOT) + ")"))
                .toList();
        if (!held.isEmpty()) {
            failures.add(failure(input, "COLUMNS_HELD_BACK", "lf-sharer holds back " + held.size() + " column(s) of tables shared whole for "
                    + day + ": " + String.join(", ", held) + ". Recipients do not read them. A sensitive column is never shared; to share a "
                    + "new one, list the table's columns in the policy (share: [{table: ..., columns: [...]}]) and apply.",
                    Map.of("columns", String.join(",", held))));
        }
        if (!applied.plan().problems().isEmpty()) {
            failures.add(failure(input, "POLICY_MISMATCH", "the sharing policy names what Glue does not have for " + day + ": "
                    + applied.plan().problems().stream().map(PolicyProblem::toString).collect(Collectors.joining(" | ")),
                    Map.of("problems", String.valueOf(applied.plan().problems().size()))));
        }
        if (!applied.complete()) {
            failures.add(failure(input, "SHARE_INCOMPLETE", "Lake Formation refused " + applied.failures().size() + " change(s) for " + day
                    + " (the rest is applied; the next CrawlCompleted or `snaplake share apply` retries): "
                    + applied.failures().stream().map(EntryFailure::toString).collect(Collectors.joining(" | ")),
                    Map.of("refused", String.valueOf(applied.failures().size()))));
        }
        for (AccessReport check : result.checks()) {
            if (check.sensitiveReadable()) {
                failures.add(failure(input, "SENSITIVE_COLUMN_READABLE", "account " + check.accountId() + " can read sensitive columns: "
                        + check.exposures().stream().map(AccessReport.Exposure::toString).collect(Collectors.joining(" | "))
                        + ". Revoke the grants named, then run `snaplake share check --account " + check.accountId() + "`.",
                        Map.of("account", check.accountId())));
            }
        }
        return failures;
    }

    /** The day was catalogued in another Glue database than the policy names for its cluster: nothing is shared. */
    public PipelineFailure glueDatabaseMismatch(CrawlCompleted input, SharingPolicy policy, ClusterPolicy cluster) {
        return failure(input, "GLUE_DATABASE_MISMATCH", "cluster " + input.getSnapshot().getClusterId() + " was catalogued in Glue database "
                + input.getGlueDatabase() + " but the sharing policy " + policy.source() + " (line " + cluster.line() + ") names glue-database "
                + cluster.glueDatabase() + ": nothing was shared. Correct glue-database in the policy.",
                Map.of("policyGlueDatabase", cluster.glueDatabase()));
    }

    private PipelineFailure failure(CrawlCompleted input, String reason, String message, Map<String, String> extra) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("glueDatabase", input.getGlueDatabase());
        details.putAll(extra);
        return FailureEvents.failure(metadata.following(input.getMetadata(), PIPELINE_FAILURE, reason), input.getSnapshot(),
                Stage.LF_SHARER, reason, message, false, details);
    }

    /** The plan's outcomes for the tables of the day (all of them when the day names none). */
    private static List<TableOutcome> dayOutcomes(CrawlCompleted input, ApplyResult applied) {
        Set<String> dayTables = dayTables(input);
        return applied.plan().outcomes().stream().filter(outcome -> dayTables.isEmpty() || dayTables.contains(outcome.table())).toList();
    }

    private static List<String> tables(List<TableOutcome> outcomes, Sharing sharing) {
        return outcomes.stream().filter(outcome -> outcome.sharing() == sharing).map(TableOutcome::table).toList();
    }

    private static Set<String> dayTables(CrawlCompleted input) {
        Set<String> tables = new TreeSet<>(input.getTables());
        input.getTableResults().stream().map(CatalogedTable::getGlueTable).forEach(tables::add);
        return tables;
    }
}
