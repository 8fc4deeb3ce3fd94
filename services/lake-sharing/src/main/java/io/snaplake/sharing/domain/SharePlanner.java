package io.snaplake.sharing.domain;

import io.snaplake.sharing.domain.SharingPolicy.ClusterPolicy;
import io.snaplake.sharing.domain.SharingPolicy.FilteredTable;
import io.snaplake.sharing.domain.SharingPolicy.NamedTable;
import io.snaplake.sharing.domain.SharingPolicy.WholeTable;
import io.snaplake.sharing.domain.TableOutcome.HeldBackColumn;
import io.snaplake.sharing.domain.TableOutcome.HoldReason;
import io.snaplake.sharing.domain.TableOutcome.Sharing;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compares the policy with the catalogue and Lake Formation's actual state and lists the changes that make
 * Lake Formation match the policy, on what the sharer owns (docs/design/lf-sharer.md); grants to the catalogue
 * account's own principals are never touched. Reads only; {@link PlanApplier} makes the changes.
 */
public record SharePlanner(SharingPolicy policy, Catalog catalog, LakeFormation lakeFormation, String catalogAccountId) {

    private static final Pattern IAM_ARN_ACCOUNT = Pattern.compile("^arn:aws:iam::(\\d{12}):.*");

    /**
     * The plan for {@code clusters} (every cluster of the policy when empty).
     *
     * @param columnsAdded per Glue table, columns the crawler reported new with this day: held back in tables
     *                     shared whole unless the policy names them
     */
    public Plan plan(Collection<String> clusters, Map<String, Set<String>> columnsAdded) {
        List<ClusterPolicy> scope = clusters.isEmpty() ? List.copyOf(policy.clusters().values())
                : clusters.stream().map(id -> policy.cluster(id).orElseThrow(
                        () -> new IllegalArgumentException("the policy " + policy.source() + " has no cluster '" + id + "'"))).toList();
        List<Change> changes = new ArrayList<>();
        List<TableOutcome> outcomes = new ArrayList<>();
        List<PolicyProblem> problems = new ArrayList<>();
        Set<Grant> desiredGrants = new LinkedHashSet<>();
        tagDefinition(changes);
        for (ClusterPolicy cluster : scope) {
            planCluster(cluster, columnsAdded, changes, outcomes, problems, desiredGrants);
        }
        for (Recipient recipient : policy.wholeTableRecipients()) {
            desiredGrants.add(new Grant(recipient.principal(), LfTags.PUBLIC_TABLES, Permission.DESCRIBE, recipient.grantOption()));
            desiredGrants.add(new Grant(recipient.principal(), LfTags.PUBLIC_TABLES, Permission.SELECT, recipient.grantOption()));
        }
        Set<String> databases = new LinkedHashSet<>();
        scope.forEach(cluster -> databases.add(cluster.glueDatabase()));
        Set<Grant> actual = new LinkedHashSet<>();
        for (Grant grant : lakeFormation.grants()) {
            if (managed(grant, databases)) {
                actual.add(grant);
            }
        }
        for (Grant grant : actual) {
            if (!desiredGrants.contains(grant)) {
                changes.add(new Change.RevokePermission(grant));
            }
        }
        for (Grant grant : desiredGrants) {
            SensitiveGuard.check(grant, policy.sensitive());
            if (!actual.contains(grant)) {
                changes.add(new Change.GrantPermission(grant));
            }
        }
        return new Plan(List.copyOf(databases), changes, outcomes, problems);
    }

    private void tagDefinition(List<Change> changes) {
        Optional<List<String>> values = lakeFormation.tagValues(LfTags.KEY);
        if (values.isEmpty()) {
            changes.add(new Change.CreateTag(LfTags.KEY, LfTags.VALUES));
            return;
        }
        List<String> missing = LfTags.VALUES.stream().filter(value -> !values.get().contains(value)).toList();
        if (!missing.isEmpty()) {
            changes.add(new Change.AddTagValues(LfTags.KEY, missing));
        }
    }

    private void planCluster(ClusterPolicy cluster, Map<String, Set<String>> columnsAdded, List<Change> changes,
            List<TableOutcome> outcomes, List<PolicyProblem> problems, Set<Grant> desiredGrants) {
        String database = cluster.glueDatabase();
        Map<String, CatalogTable> tables = new TreeMap<>();
        catalog.tables(database).forEach(table -> tables.put(table.name(), table));
        checkNamedTablesExist(cluster, tables, problems);

        Optional<String> databaseTag = lakeFormation.databaseTag(database, LfTags.KEY);
        if (!databaseTag.equals(Optional.of(LfTags.PRIVATE))) {
            changes.add(new Change.AssignTag(TagTarget.database(database), LfTags.KEY, LfTags.PRIVATE, databaseTag, true));
        }
        Map<String, CellsFilter> ownFilters = new LinkedHashMap<>();
        lakeFormation.filters(database).stream().filter(filter -> filter.name().equals(LfTags.FILTER_NAME))
                .forEach(filter -> ownFilters.put(filter.table(), filter));

        boolean sharesAnything = false;
        for (CatalogTable table : tables.values()) {
            Optional<WholeTable> whole = cluster.wholeTable(table.name());
            Optional<FilteredTable> filtered = cluster.filteredTable(table.name());
            TableTags tags = lakeFormation.tableTags(database, table.name(), LfTags.KEY);
            Map<String, String> columnTags = new TreeMap<>();
            List<HeldBackColumn> heldBack = new ArrayList<>();
            for (String column : table.allColumns()) {
                if (policy.sensitive().isSensitive(column)) {
                    // Every sensitive column of every table the policy covers, shared or not: even a table someone
                    // tags public by hand keeps these out of the confidential=public grant.
                    columnTags.put(column, LfTags.SENSITIVE);
                    if (whole.isPresent()) {
                        heldBack.add(new HeldBackColumn(column, HoldReason.SENSITIVE));
                    }
                }
            }
            TableOutcome outcome;
            if (whole.isPresent()) {
                holdBack(whole.get(), table, tags, columnsAdded.getOrDefault(table.name(), Set.of()), columnTags, heldBack, problems);
                tableTag(database, table.name(), tags.table(), Optional.of(LfTags.PUBLIC), changes);
                List<String> visible = table.allColumns().stream().filter(column -> !columnTags.containsKey(column)).toList();
                outcome = new TableOutcome(database, table.name(), Sharing.WHOLE, visible, Optional.empty(), heldBack);
                sharesAnything |= !cluster.recipients().isEmpty();
            } else {
                tableTag(database, table.name(), tags.table(), Optional.empty(), changes);
                if (filtered.isPresent()) {
                    List<String> columns = filterColumns(filtered.get(), table, problems);
                    CellsFilter desired = CellsFilter.including(database, table.name(), LfTags.FILTER_NAME, columns, filtered.get().rowFilter());
                    SensitiveGuard.check(desired, policy.sensitive());
                    CellsFilter existing = ownFilters.remove(table.name());
                    if (existing == null) {
                        changes.add(new Change.CreateFilter(desired));
                    } else if (!sameFilter(existing, desired)) {
                        changes.add(new Change.UpdateFilter(desired, existing));
                    }
                    LfResource.DataCellsFilter resource = new LfResource.DataCellsFilter(database, table.name(), LfTags.FILTER_NAME);
                    cluster.recipients().forEach(recipient ->
                            desiredGrants.add(new Grant(recipient.principal(), resource, Permission.SELECT, recipient.grantOption())));
                    outcome = new TableOutcome(database, table.name(), Sharing.FILTERED, columns, Optional.of(LfTags.FILTER_NAME), List.of());
                    sharesAnything |= !cluster.recipients().isEmpty();
                } else {
                    outcome = new TableOutcome(database, table.name(), Sharing.PRIVATE, List.of(), Optional.empty(), List.of());
                }
            }
            columnTagChanges(database, table.name(), tags.columns(), columnTags, changes);
            outcomes.add(outcome);
        }
        ownFilters.values().forEach(filter -> changes.add(new Change.DeleteFilter(filter)));
        if (sharesAnything) {
            LfResource.Database resource = new LfResource.Database(database);
            cluster.recipients().forEach(recipient ->
                    desiredGrants.add(new Grant(recipient.principal(), resource, Permission.DESCRIBE, recipient.grantOption())));
        }
    }

    /** Which columns of a table shared whole are held back (column-level confidential=private), and why. */
    private void holdBack(WholeTable whole, CatalogTable table, TableTags tags, Set<String> added, Map<String, String> columnTags,
            List<HeldBackColumn> heldBack, List<PolicyProblem> problems) {
        if (whole.columns().isPresent()) {
            List<String> named = whole.columns().get();
            unknownColumns(whole, named, table, "correct the column name or remove it from 'columns'", problems);
            for (String column : table.allColumns()) {
                if (!columnTags.containsKey(column) && !named.contains(column)) {
                    columnTags.put(column, LfTags.PRIVATE);
                    heldBack.add(new HeldBackColumn(column, added.contains(column) ? HoldReason.NEW_COLUMN : HoldReason.NOT_IN_POLICY));
                }
            }
            return;
        }
        for (String column : table.allColumns()) {
            boolean heldBefore = LfTags.PRIVATE.equals(tags.columns().get(column));
            if (!columnTags.containsKey(column) && (heldBefore || added.contains(column))) {
                columnTags.put(column, LfTags.PRIVATE);
                heldBack.add(new HeldBackColumn(column, HoldReason.NEW_COLUMN));
            }
        }
    }

    private List<String> filterColumns(FilteredTable filtered, CatalogTable table, List<PolicyProblem> problems) {
        List<String> named = filtered.include().or(filtered::exclude).orElse(List.of());
        unknownColumns(filtered, named, table, "correct the column name or remove it from the list", problems);
        return table.allColumns().stream()
                .filter(column -> filtered.include().isPresent() ? named.contains(column) : !named.contains(column))
                .filter(column -> !policy.sensitive().isSensitive(column))
                .toList();
    }

    private void unknownColumns(NamedTable entry, List<String> named, CatalogTable table, String fix, List<PolicyProblem> problems) {
        named.stream().filter(column -> !table.allColumns().contains(column)).forEach(column -> problems.add(new PolicyProblem(
                policy.source(), entry.line(), "column '" + column + "' of '" + entry.sourceTable() + "' is not in Glue table "
                        + table.database() + "." + table.name() + " (columns: " + table.allColumns() + ")", fix)));
    }

    private void checkNamedTablesExist(ClusterPolicy cluster, Map<String, CatalogTable> tables, List<PolicyProblem> problems) {
        cluster.namedTables().filter(table -> !tables.containsKey(table.glueTable())).forEach(table -> problems.add(new PolicyProblem(
                policy.source(), table.line(), "table '" + table.sourceTable() + "' (Glue table " + table.glueTable()
                        + ") is not in Glue database " + cluster.glueDatabase() + " (tables: " + tables.keySet() + ")",
                "correct the table name, or remove it until the crawler-runner has catalogued it")));
    }

    private void tableTag(String database, String table, Optional<String> current, Optional<String> desired, List<Change> changes) {
        TagTarget target = TagTarget.table(database, table);
        if (desired.isPresent() && !desired.equals(current)) {
            changes.add(new Change.AssignTag(target, LfTags.KEY, desired.get(), current, false));
        } else if (desired.isEmpty() && current.isPresent() && !current.get().equals(LfTags.PRIVATE)) {
            // Back to the database's confidential=private: tightens access unless the table was tagged sensitive.
            changes.add(new Change.RemoveTag(target, LfTags.KEY, current.get(), !current.get().equals(LfTags.SENSITIVE)));
        }
    }

    private void columnTagChanges(String database, String table, Map<String, String> current, Map<String, String> desired,
            List<Change> changes) {
        Map<String, List<String>> toAssign = new TreeMap<>();
        desired.forEach((column, value) -> {
            if (!value.equals(current.get(column))) {
                toAssign.computeIfAbsent(value, v -> new ArrayList<>()).add(column);
            }
        });
        toAssign.forEach((value, columns) -> changes.add(new Change.AssignTag(TagTarget.columns(database, table, columns),
                LfTags.KEY, value, Optional.empty(), true)));
        Map<String, List<String>> toRemove = new TreeMap<>();
        current.forEach((column, value) -> {
            if (!desired.containsKey(column)) {
                toRemove.computeIfAbsent(value, v -> new ArrayList<>()).add(column);
            }
        });
        toRemove.forEach((value, columns) -> changes.add(new Change.RemoveTag(TagTarget.columns(database, table, columns),
                LfTags.KEY, value, false)));
    }

    private static boolean sameFilter(CellsFilter existing, CellsFilter desired) {
        return !existing.allColumns() && existing.excluded().isEmpty()
                && new HashSet<>(existing.columns()).equals(new HashSet<>(desired.columns()))
                && existing.rowFilter().equals(desired.rowFilter());
    }

    /** A grant the sharer converges: to a principal outside the catalogue's account, on what the sharer owns. */
    private boolean managed(Grant grant, Set<String> databases) {
        if (!external(grant.principal())) {
            return false;
        }
        if (grant.resource() instanceof LfResource.TagPolicy tagPolicy) {
            return tagPolicy.expression().containsKey(LfTags.KEY);
        }
        return databases.contains(grant.resource().database());
    }

    private boolean external(String principal) {
        if (principal.matches("\\d{12}")) {
            return !principal.equals(catalogAccountId);
        }
        Matcher arn = IAM_ARN_ACCOUNT.matcher(principal);
        return arn.matches() && !arn.group(1).equals(catalogAccountId);
    }
}
