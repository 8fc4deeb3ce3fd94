package io.snaplake.sharing.domain;

import io.snaplake.sharing.domain.SharingPolicy.DatabasePolicy;
import io.snaplake.sharing.domain.SharingPolicy.FilteredTable;
import io.snaplake.sharing.domain.SharingPolicy.WholeTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Reads one source database's entry of a policy: the tables it shares whole ({@code share}) and through a
 * data cells filter ({@code filtered}); a sensitive column named in a list is a problem.
 */
final class DatabasePolicyReader {

    private static final Set<String> DATABASE_KEYS = Set.of("share", "filtered");
    private static final Set<String> WHOLE_KEYS = Set.of("table", "columns");
    private static final Set<String> FILTER_KEYS = Set.of("include", "exclude", "row-filter");

    private final PolicyNodes nodes;
    private final SensitiveColumns sensitive;

    DatabasePolicyReader(PolicyNodes nodes, SensitiveColumns sensitive) {
        this.nodes = nodes;
        this.sensitive = sensitive;
    }

    /** @param grantOption whether a recipient of the cluster is given grant option (AWS then requires include lists) */
    DatabasePolicy database(String database, Node node, boolean grantOption, int keyLine) {
        if (!(node instanceof MappingNode map)) {
            nodes.problem(node, "database '" + database + "' must be a mapping", "write " + database + ": {share: [...], filtered: {...}}");
            return new DatabasePolicy(database, List.of(), List.of(), keyLine);
        }
        Map<String, Node> entries = nodes.mapping(map, DATABASE_KEYS, "database '" + database + "'");
        List<WholeTable> whole = new ArrayList<>();
        Map<String, Integer> named = new HashMap<>();
        if (entries.containsKey("share")) {
            for (Node item : nodes.elements(entries.get("share"), "share")) {
                WholeTable table = wholeTable(database, item);
                if (table != null && notNamedTwice(named, table.glueTable(), table.sourceTable(), item)) {
                    whole.add(table);
                }
            }
        }
        List<FilteredTable> filtered = new ArrayList<>();
        Node filteredNode = entries.get("filtered");
        if (filteredNode instanceof MappingNode filteredMap) {
            for (NodeTuple tuple : filteredMap.getValue()) {
                String sourceTable = nodes.scalar(tuple.getKeyNode(), "table name");
                FilteredTable table = sourceTable == null ? null : filteredTable(database, sourceTable, tuple.getValueNode(), grantOption);
                if (table != null && notNamedTwice(named, table.glueTable(), sourceTable, tuple.getKeyNode())) {
                    filtered.add(table);
                }
            }
        } else if (filteredNode != null) {
            nodes.problem(filteredNode, "'filtered' must be a mapping of table to its filter", "write filtered: {public.customers: {include: [id, country]}}");
        }
        return new DatabasePolicy(database, whole, filtered, keyLine);
    }

    private boolean notNamedTwice(Map<String, Integer> named, String glueTable, String sourceTable, Node node) {
        Integer first = named.putIfAbsent(glueTable, PolicyNodes.line(node));
        if (first != null) {
            nodes.problem(node, "table '" + sourceTable + "' is already named at line " + first,
                    "name each table once: in 'share' (whole) or in 'filtered' (some columns)");
            return false;
        }
        return true;
    }

    private WholeTable wholeTable(String database, Node item) {
        if (item instanceof ScalarNode scalar) {
            return new WholeTable(scalar.getValue(), GlueNames.glueTable(database, scalar.getValue()), Optional.empty(), PolicyNodes.line(item));
        }
        if (!(item instanceof MappingNode map)) {
            nodes.problem(item, "a shared table must be a name or {table: ..., columns: [...]}", "write public.orders or {table: public.orders, columns: [id, total]}");
            return null;
        }
        Map<String, Node> entries = nodes.mapping(map, WHOLE_KEYS, "a shared table");
        String table = entries.containsKey("table") ? nodes.scalar(entries.get("table"), "table") : null;
        if (table == null) {
            nodes.problem(item, "a shared table has no 'table' name", "add table: <schema.table>");
            return null;
        }
        Optional<List<String>> columns = Optional.empty();
        if (entries.containsKey("columns")) {
            columns = Optional.of(columnList(entries.get("columns"), "columns", table, sensitive,
                    "remove it from 'columns' (it is never shared; the sharer holds it back), or share the table through 'filtered' with an include list"));
        }
        return new WholeTable(table, GlueNames.glueTable(database, table), columns, PolicyNodes.line(item));
    }

    private FilteredTable filteredTable(String database, String table, Node node, boolean grantOption) {
        if (!(node instanceof MappingNode map)) {
            nodes.problem(node, "filtered table '" + table + "' must be a mapping", "write " + table + ": {include: [id, country]}");
            return null;
        }
        Map<String, Node> entries = nodes.mapping(map, FILTER_KEYS, "filtered table '" + table + "'");
        Optional<List<String>> include = Optional.empty();
        Optional<List<String>> exclude = Optional.empty();
        if (entries.containsKey("include")) {
            include = Optional.of(columnList(entries.get("include"), "include", table, sensitive, "remove it from the include list"));
            if (include.get().isEmpty()) {
                nodes.problem(entries.get("include"), "the include list of '" + table + "' is empty", "name at least one column, or remove the table to keep it private");
            }
        }
        if (entries.containsKey("exclude")) {
            exclude = Optional.of(columnList(entries.get("exclude"), "exclude", table, new SensitiveColumns(List.of()), ""));
            if (grantOption) {
                nodes.problem(entries.get("exclude"), "'" + table + "' has an exclude list but a recipient of this cluster is given grant-option: "
                        + "AWS grants a data cells filter with grant option only when it has an include list",
                        "replace 'exclude' by include: [<the columns to share>]");
            }
        }
        if (include.isPresent() == exclude.isPresent()) {
            nodes.problem(node, "filtered table '" + table + "' needs exactly one of 'include' or 'exclude'", "write include: [<the columns to share>]");
            return null;
        }
        Optional<String> rowFilter = Optional.ofNullable(entries.get("row-filter")).map(filter -> nodes.scalar(filter, "row-filter"))
                .filter(filter -> !filter.isBlank());
        return new FilteredTable(table, GlueNames.glueTable(database, table), include, exclude, rowFilter, PolicyNodes.line(node));
    }

    /** The column names of a list, lower case; a sensitive one is a problem with {@code sensitiveFix}. */
    private List<String> columnList(Node node, String key, String table, SensitiveColumns sensitive, String sensitiveFix) {
        List<String> columns = new ArrayList<>();
        for (Node element : nodes.elements(node, key)) {
            String column = nodes.scalar(element, "column name");
            if (column == null) {
                continue;
            }
            Optional<String> pattern = sensitive.matchingPattern(column);
            if (pattern.isPresent()) {
                nodes.problem(element, "column '" + column + "' of '" + table + "' in '" + key + "' matches the sensitive pattern '"
                        + pattern.get() + "' and is never shared", sensitiveFix);
                continue;
            }
            columns.add(column.toLowerCase(Locale.ROOT));
        }
        return columns;
    }
}
