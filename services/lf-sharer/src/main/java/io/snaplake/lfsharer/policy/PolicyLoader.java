package io.snaplake.lfsharer.policy;

import io.snaplake.lfsharer.policy.SharingPolicy.ClusterPolicy;
import io.snaplake.lfsharer.policy.SharingPolicy.DatabasePolicy;
import io.snaplake.lfsharer.policy.SharingPolicy.FilteredTable;
import io.snaplake.lfsharer.policy.SharingPolicy.WholeTable;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a sharing policy file and checks everything that can be checked without the catalogue (tables and
 * columns are checked against Glue by {@link CatalogValidation}). Every problem names the file, the line and
 * the fix; all problems are reported at once.
 *
 * <pre>
 * sensitive-columns: ["*email*", "*phone*", "password*", "*token*"]
 * clusters:
 *   orders:
 *     glue-database: snaplake_orders
 *     recipients:
 *       - "222222222222"
 *       - {account: "333333333333", principals: ["arn:aws:iam::333333333333:role/analyst"], grant-option: true}
 *     databases:
 *       ordersdb:
 *         share: [public.orders, {table: public.order_lines, columns: [id, order_id, sku]}]
 *         filtered:
 *           public.customers: {include: [id, country, created_at], row-filter: "country = 'FR'"}
 * </pre>
 */
public final class PolicyLoader {

    private static final Set<String> TOP_KEYS = Set.of("sensitive-columns", "clusters");
    private static final Set<String> CLUSTER_KEYS = Set.of("glue-database", "recipients", "databases");
    private static final Set<String> DATABASE_KEYS = Set.of("share", "filtered");
    private static final Set<String> RECIPIENT_KEYS = Set.of("account", "principals", "grant-option");
    private static final Set<String> WHOLE_KEYS = Set.of("table", "columns");
    private static final Set<String> FILTER_KEYS = Set.of("include", "exclude", "row-filter");

    private final String file;
    private final List<PolicyProblem> problems = new ArrayList<>();

    private PolicyLoader(String file) {
        this.file = file;
    }

    public static SharingPolicy load(Path path) {
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            return new PolicyLoader(path.toString()).read(reader);
        } catch (IOException e) {
            throw new InvalidPolicyException(List.of(new PolicyProblem(path.toString(), 0,
                    "cannot read the policy file: " + e.getMessage(), "mount the policy file at this path or set SNAPLAKE_SHARING_POLICY")));
        }
    }

    public static SharingPolicy parse(String file, String yaml) {
        return new PolicyLoader(file).read(new StringReader(yaml));
    }

    private SharingPolicy read(Reader reader) {
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            root = new Yaml(options).compose(reader);
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            throw new InvalidPolicyException(List.of(new PolicyProblem(file, line, "not valid YAML: " + e.getProblem(),
                    "correct the YAML syntax at this line")));
        }
        if (!(root instanceof MappingNode top)) {
            throw new InvalidPolicyException(List.of(new PolicyProblem(file, root == null ? 0 : line(root),
                    "the policy is empty or not a mapping", "start with 'sensitive-columns:' and 'clusters:'")));
        }
        Map<String, Node> entries = mapping(top, TOP_KEYS, "the policy");
        SensitiveColumns sensitive = new SensitiveColumns(
                entries.containsKey("sensitive-columns") ? strings(entries.get("sensitive-columns"), "sensitive-columns") : List.of());
        if (!entries.containsKey("sensitive-columns")) {
            problem(top, "no 'sensitive-columns' list", "add sensitive-columns: [\"*email*\", \"password*\", ...] (an empty list [] if truly none)");
        }
        Map<String, ClusterPolicy> clusters = new LinkedHashMap<>();
        Node clustersNode = entries.get("clusters");
        if (clustersNode == null) {
            problem(top, "no 'clusters' mapping", "add clusters: {<cluster id>: {glue-database: ..., recipients: [...], databases: {...}}}");
        } else if (clustersNode instanceof MappingNode clusterMap) {
            for (NodeTuple tuple : clusterMap.getValue()) {
                String cluster = scalar(tuple.getKeyNode(), "cluster id");
                if (cluster != null) {
                    clusters.put(cluster, cluster(cluster, tuple.getValueNode(), sensitive, line(tuple.getKeyNode())));
                }
            }
        } else {
            problem(clustersNode, "'clusters' must be a mapping of cluster id to settings", "write clusters: {orders: {...}}");
        }
        SharingPolicy policy = new SharingPolicy(file, sensitive, clusters);
        checkAcrossClusters(policy);
        if (!problems.isEmpty()) {
            throw new InvalidPolicyException(problems);
        }
        return policy;
    }

    private ClusterPolicy cluster(String cluster, Node node, SensitiveColumns sensitive, int keyLine) {
        if (!(node instanceof MappingNode map)) {
            problem(node, "cluster '" + cluster + "' must be a mapping", "write " + cluster + ": {glue-database: ..., recipients: [...], databases: {...}}");
            return new ClusterPolicy(cluster, "", List.of(), Map.of(), keyLine);
        }
        Map<String, Node> entries = mapping(map, CLUSTER_KEYS, "cluster '" + cluster + "'");
        String glueDatabase = "";
        if (entries.get("glue-database") == null) {
            problem(node, "cluster '" + cluster + "' has no glue-database", "add glue-database: <the Glue database the crawler-runner catalogues " + cluster + " in>");
        } else {
            glueDatabase = Optional.ofNullable(scalar(entries.get("glue-database"), "glue-database")).orElse("");
        }
        List<Recipient> recipients = entries.containsKey("recipients") ? recipients(entries.get("recipients")) : List.of();
        Map<String, DatabasePolicy> databases = new LinkedHashMap<>();
        Node databasesNode = entries.get("databases");
        if (databasesNode instanceof MappingNode databaseMap) {
            for (NodeTuple tuple : databaseMap.getValue()) {
                String database = scalar(tuple.getKeyNode(), "database name");
                if (database != null) {
                    databases.put(database, database(database, tuple.getValueNode(), recipients, sensitive, line(tuple.getKeyNode())));
                }
            }
        } else if (databasesNode != null) {
            problem(databasesNode, "'databases' must be a mapping of source database to tables", "write databases: {ordersdb: {share: [...], filtered: {...}}}");
        }
        boolean sharesTables = databases.values().stream().anyMatch(db -> !db.whole().isEmpty() || !db.filtered().isEmpty());
        if (sharesTables && recipients.isEmpty()) {
            problem(node, "cluster '" + cluster + "' shares tables but has no recipients", "add recipients: [\"<12-digit account id>\"]");
        }
        return new ClusterPolicy(cluster, glueDatabase, recipients, databases, keyLine);
    }

    private List<Recipient> recipients(Node node) {
        if (!(node instanceof SequenceNode sequence)) {
            problem(node, "'recipients' must be a list", "write recipients: [\"222222222222\"]");
            return List.of();
        }
        List<Recipient> recipients = new ArrayList<>();
        for (Node item : sequence.getValue()) {
            if (item instanceof ScalarNode scalar) {
                String account = scalar.getValue();
                if (validAccount(item, account)) {
                    recipients.add(Recipient.account(account, false));
                }
            } else if (item instanceof MappingNode map) {
                Map<String, Node> entries = mapping(map, RECIPIENT_KEYS, "a recipient");
                String account = entries.containsKey("account") ? scalar(entries.get("account"), "account") : null;
                if (account == null) {
                    problem(item, "a recipient has no account", "add account: \"<12-digit account id>\"");
                    continue;
                }
                if (!validAccount(entries.get("account"), account)) {
                    continue;
                }
                boolean grantOption = entries.containsKey("grant-option") && bool(entries.get("grant-option"), "grant-option");
                if (!entries.containsKey("principals")) {
                    recipients.add(Recipient.account(account, grantOption));
                    continue;
                }
                for (Node principalNode : elements(entries.get("principals"), "principals")) {
                    String principal = scalar(principalNode, "principal");
                    if (principal != null && !principal.startsWith("arn:aws:iam::" + account + ":")) {
                        problem(principalNode, "principal '" + principal + "' is not an IAM principal of account " + account,
                                "write arn:aws:iam::" + account + ":role/<name> (or :user/<name>), or list it under its own account");
                    } else if (principal != null) {
                        recipients.add(new Recipient(account, principal, grantOption));
                    }
                }
            } else {
                problem(item, "a recipient must be an account id or a mapping", "write \"222222222222\" or {account: \"222222222222\", principals: [...]}");
            }
        }
        return recipients;
    }

    private boolean validAccount(Node node, String account) {
        if (account.matches("\\d{12}")) {
            return true;
        }
        problem(node, "'" + account + "' is not a 12-digit AWS account id", "write the account id in quotes, e.g. \"222222222222\"");
        return false;
    }

    private DatabasePolicy database(String database, Node node, List<Recipient> recipients, SensitiveColumns sensitive, int keyLine) {
        if (!(node instanceof MappingNode map)) {
            problem(node, "database '" + database + "' must be a mapping", "write " + database + ": {share: [...], filtered: {...}}");
            return new DatabasePolicy(database, List.of(), List.of(), keyLine);
        }
        Map<String, Node> entries = mapping(map, DATABASE_KEYS, "database '" + database + "'");
        List<WholeTable> whole = new ArrayList<>();
        Map<String, Integer> named = new HashMap<>();
        if (entries.containsKey("share")) {
            for (Node item : elements(entries.get("share"), "share")) {
                WholeTable table = wholeTable(database, item, sensitive);
                if (table != null && notNamedTwice(named, table.glueTable(), table.sourceTable(), item)) {
                    whole.add(table);
                }
            }
        }
        List<FilteredTable> filtered = new ArrayList<>();
        Node filteredNode = entries.get("filtered");
        if (filteredNode instanceof MappingNode filteredMap) {
            boolean grantOption = recipients.stream().anyMatch(Recipient::grantOption);
            for (NodeTuple tuple : filteredMap.getValue()) {
                String sourceTable = scalar(tuple.getKeyNode(), "table name");
                if (sourceTable == null) {
                    continue;
                }
                FilteredTable table = filteredTable(database, sourceTable, tuple.getValueNode(), grantOption, sensitive);
                if (table != null && notNamedTwice(named, table.glueTable(), sourceTable, tuple.getKeyNode())) {
                    filtered.add(table);
                }
            }
        } else if (filteredNode != null) {
            problem(filteredNode, "'filtered' must be a mapping of table to its filter", "write filtered: {public.customers: {include: [id, country]}}");
        }
        return new DatabasePolicy(database, whole, filtered, keyLine);
    }

    private boolean notNamedTwice(Map<String, Integer> named, String glueTable, String sourceTable, Node node) {
        Integer first = named.putIfAbsent(glueTable, line(node));
        if (first != null) {
            problem(node, "table '" + sourceTable + "' is already named at line " + first,
                    "name each table once: in 'share' (whole) or in 'filtered' (some columns)");
            return false;
        }
        return true;
    }

    private WholeTable wholeTable(String database, Node item, SensitiveColumns sensitive) {
        if (item instanceof ScalarNode scalar) {
            return new WholeTable(scalar.getValue(), GlueNames.glueTable(database, scalar.getValue()), Optional.empty(), line(item));
        }
        if (!(item instanceof MappingNode map)) {
            problem(item, "a shared table must be a name or {table: ..., columns: [...]}", "write public.orders or {table: public.orders, columns: [id, total]}");
            return null;
        }
        Map<String, Node> entries = mapping(map, WHOLE_KEYS, "a shared table");
        String table = entries.containsKey("table") ? scalar(entries.get("table"), "table") : null;
        if (table == null) {
            problem(item, "a shared table has no 'table' name", "add table: <schema.table>");
            return null;
        }
        Optional<List<String>> columns = Optional.empty();
        if (entries.containsKey("columns")) {
            List<String> names = columnList(entries.get("columns"), "columns", table, sensitive,
                    "remove it from 'columns' (it is never shared; the sharer holds it back), or share the table through 'filtered' with an include list");
            columns = Optional.of(names);
        }
        return new WholeTable(table, GlueNames.glueTable(database, table), columns, line(item));
    }

    private FilteredTable filteredTable(String database, String table, Node node, boolean grantOption, SensitiveColumns sensitive) {
        if (!(node instanceof MappingNode map)) {
            problem(node, "filtered table '" + table + "' must be a mapping", "write " + table + ": {include: [id, country]}");
            return null;
        }
        Map<String, Node> entries = mapping(map, FILTER_KEYS, "filtered table '" + table + "'");
        Optional<List<String>> include = Optional.empty();
        Optional<List<String>> exclude = Optional.empty();
        if (entries.containsKey("include")) {
            include = Optional.of(columnList(entries.get("include"), "include", table, sensitive, "remove it from the include list"));
            if (include.get().isEmpty()) {
                problem(entries.get("include"), "the include list of '" + table + "' is empty", "name at least one column, or remove the table to keep it private");
            }
        }
        if (entries.containsKey("exclude")) {
            exclude = Optional.of(columnList(entries.get("exclude"), "exclude", table, new SensitiveColumns(List.of()), ""));
            if (grantOption) {
                problem(entries.get("exclude"), "'" + table + "' has an exclude list but a recipient of this cluster is given grant-option: "
                        + "AWS grants a data cells filter with grant option only when it has an include list",
                        "replace 'exclude' by include: [<the columns to share>]");
            }
        }
        if (include.isPresent() == exclude.isPresent()) {
            problem(node, "filtered table '" + table + "' needs exactly one of 'include' or 'exclude'", "write include: [<the columns to share>]");
            return null;
        }
        Optional<String> rowFilter = Optional.empty();
        if (entries.containsKey("row-filter")) {
            rowFilter = Optional.ofNullable(scalar(entries.get("row-filter"), "row-filter")).filter(filter -> !filter.isBlank());
        }
        return new FilteredTable(table, GlueNames.glueTable(database, table), include, exclude, rowFilter, line(node));
    }

    private List<String> columnList(Node node, String key, String table, SensitiveColumns sensitive, String sensitiveFix) {
        List<String> columns = new ArrayList<>();
        for (Node element : elements(node, key)) {
            String column = scalar(element, "column name");
            if (column == null) {
                continue;
            }
            Optional<String> pattern = sensitive.matchingPattern(column);
            if (pattern.isPresent()) {
                problem(element, "column '" + column + "' of '" + table + "' in '" + key + "' matches the sensitive pattern '"
                        + pattern.get() + "' and is never shared", sensitiveFix);
                continue;
            }
            columns.add(column.toLowerCase(java.util.Locale.ROOT));
        }
        return columns;
    }

    /** Tag-based grants are catalogue-wide: every recipient of a whole table would see every cluster's public tables. */
    private void checkAcrossClusters(SharingPolicy policy) {
        Map<String, String> databases = new HashMap<>();
        List<ClusterPolicy> sharingWhole = new ArrayList<>();
        for (ClusterPolicy cluster : policy.clusters().values()) {
            String other = databases.putIfAbsent(cluster.glueDatabase(), cluster.cluster());
            if (other != null && !cluster.glueDatabase().isEmpty()) {
                problems.add(new PolicyProblem(file, cluster.line(), "clusters '" + other + "' and '" + cluster.cluster()
                        + "' name the same glue-database '" + cluster.glueDatabase() + "'", "give each cluster its own Glue database"));
            }
            if (cluster.databases().values().stream().anyMatch(db -> !db.whole().isEmpty())) {
                sharingWhole.add(cluster);
            }
        }
        for (ClusterPolicy cluster : sharingWhole) {
            Set<String> these = principals(cluster);
            Set<String> first = principals(sharingWhole.get(0));
            if (!these.equals(first)) {
                problems.add(new PolicyProblem(file, cluster.line(), "cluster '" + cluster.cluster() + "' shares tables whole with "
                        + these + " but cluster '" + sharingWhole.get(0).cluster() + "' with " + first
                        + ": tables shared whole are granted through one catalogue-wide LF-Tag (confidential=public), so every "
                        + "recipient of a whole table would read every cluster's whole tables",
                        "give every cluster that uses 'share' the same recipients, or share through 'filtered' (granted per table)"));
            }
        }
    }

    private static Set<String> principals(ClusterPolicy cluster) {
        return cluster.recipients().stream().map(Recipient::principal).collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    private Map<String, Node> mapping(MappingNode map, Set<String> known, String where) {
        Map<String, Node> entries = new TreeMap<>();
        for (NodeTuple tuple : map.getValue()) {
            String key = scalar(tuple.getKeyNode(), "key");
            if (key == null) {
                continue;
            }
            if (!known.contains(key)) {
                problem(tuple.getKeyNode(), "unknown key '" + key + "' in " + where,
                        "use one of " + known.stream().sorted().collect(Collectors.joining(", ")));
                continue;
            }
            entries.put(key, tuple.getValueNode());
        }
        return entries;
    }

    private List<Node> elements(Node node, String key) {
        if (node instanceof SequenceNode sequence) {
            return sequence.getValue();
        }
        problem(node, "'" + key + "' must be a list", "write " + key + ": [a, b]");
        return List.of();
    }

    private List<String> strings(Node node, String key) {
        List<String> values = new ArrayList<>();
        for (Node element : elements(node, key)) {
            String value = scalar(element, key + " entry");
            if (value != null && !value.isBlank()) {
                values.add(value);
            }
        }
        return values;
    }

    private boolean bool(Node node, String key) {
        String value = scalar(node, key);
        if ("true".equals(value) || "false".equals(value)) {
            return Boolean.parseBoolean(value);
        }
        problem(node, "'" + key + "' must be true or false, got '" + value + "'", "write " + key + ": true");
        return false;
    }

    private String scalar(Node node, String what) {
        if (node instanceof ScalarNode scalar) {
            return scalar.getValue();
        }
        problem(node, "expected a single value for " + what, "write a plain value, not a list or mapping");
        return null;
    }

    private void problem(Node node, String problem, String fix) {
        problems.add(new PolicyProblem(file, line(node), problem, fix));
    }

    private static int line(Node node) {
        return node.getStartMark().getLine() + 1;
    }
}
