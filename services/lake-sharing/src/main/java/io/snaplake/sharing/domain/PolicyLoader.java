package io.snaplake.sharing.domain;

import io.snaplake.sharing.domain.SharingPolicy.ClusterPolicy;
import io.snaplake.sharing.domain.SharingPolicy.DatabasePolicy;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a sharing policy file and checks everything that can be checked without the catalogue (the tables
 * and columns it names are checked against Glue when a plan is made). Every problem names the file, the line
 * and the fix; all are reported at once, in an {@link InvalidPolicyException}. The format: docs/sharing-policy.md.
 */
public final class PolicyLoader {

    private static final Set<String> TOP_KEYS = Set.of("sensitive-columns", "clusters");
    private static final Set<String> CLUSTER_KEYS = Set.of("glue-database", "recipients", "databases");
    private static final Set<String> RECIPIENT_KEYS = Set.of("account", "principals", "grant-option");

    private final PolicyNodes nodes;

    private PolicyLoader(String file) {
        this.nodes = new PolicyNodes(file);
    }

    public static SharingPolicy load(Path path) {
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            return new PolicyLoader(path.toString()).read(reader);
        } catch (IOException e) {
            throw new InvalidPolicyException(List.of(new PolicyProblem(path.toString(), 0,
                    "cannot read the policy file: " + e.getMessage(), "mount the policy file at this path, or name the file where it is")));
        }
    }

    /** @param file the name the problems give the policy */
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
            throw invalid(new PolicyProblem(nodes.file(), line, "not valid YAML: " + e.getProblem(), "correct the YAML syntax at this line"));
        }
        if (!(root instanceof MappingNode top)) {
            throw invalid(new PolicyProblem(nodes.file(), root == null ? 0 : PolicyNodes.line(root),
                    "the policy is empty or not a mapping", "start with 'sensitive-columns:' and 'clusters:'"));
        }
        Map<String, Node> entries = nodes.mapping(top, TOP_KEYS, "the policy");
        SensitiveColumns sensitive = new SensitiveColumns(
                entries.containsKey("sensitive-columns") ? nodes.strings(entries.get("sensitive-columns"), "sensitive-columns") : List.of());
        if (!entries.containsKey("sensitive-columns")) {
            nodes.problem(top, "no 'sensitive-columns' list", "add sensitive-columns: [\"*email*\", \"password*\", ...] (an empty list [] if truly none)");
        }
        Map<String, ClusterPolicy> clusters = new LinkedHashMap<>();
        Node clustersNode = entries.get("clusters");
        if (clustersNode == null) {
            nodes.problem(top, "no 'clusters' mapping", "add clusters: {<cluster id>: {glue-database: ..., recipients: [...], databases: {...}}}");
        } else if (clustersNode instanceof MappingNode clusterMap) {
            DatabasePolicyReader databases = new DatabasePolicyReader(nodes, sensitive);
            for (NodeTuple tuple : clusterMap.getValue()) {
                String cluster = nodes.scalar(tuple.getKeyNode(), "cluster id");
                if (cluster != null) {
                    clusters.put(cluster, cluster(cluster, tuple.getValueNode(), databases, PolicyNodes.line(tuple.getKeyNode())));
                }
            }
        } else {
            nodes.problem(clustersNode, "'clusters' must be a mapping of cluster id to settings", "write clusters: {orders: {...}}");
        }
        SharingPolicy policy = new SharingPolicy(nodes.file(), sensitive, clusters);
        List<PolicyProblem> problems = new ArrayList<>(nodes.problems());
        problems.addAll(ClusterConflicts.of(policy));
        if (!problems.isEmpty()) {
            throw new InvalidPolicyException(problems);
        }
        return policy;
    }

    private static InvalidPolicyException invalid(PolicyProblem problem) {
        return new InvalidPolicyException(List.of(problem));
    }

    private ClusterPolicy cluster(String cluster, Node node, DatabasePolicyReader reader, int keyLine) {
        if (!(node instanceof MappingNode map)) {
            nodes.problem(node, "cluster '" + cluster + "' must be a mapping", "write " + cluster + ": {glue-database: ..., recipients: [...], databases: {...}}");
            return new ClusterPolicy(cluster, "", List.of(), Map.of(), keyLine);
        }
        Map<String, Node> entries = nodes.mapping(map, CLUSTER_KEYS, "cluster '" + cluster + "'");
        String glueDatabase = "";
        if (entries.get("glue-database") == null) {
            nodes.problem(node, "cluster '" + cluster + "' has no glue-database", "add glue-database: <the Glue database the crawler-runner catalogues " + cluster + " in>");
        } else {
            glueDatabase = Optional.ofNullable(nodes.scalar(entries.get("glue-database"), "glue-database")).orElse("");
        }
        List<Recipient> recipients = entries.containsKey("recipients") ? recipients(entries.get("recipients")) : List.of();
        boolean grantOption = recipients.stream().anyMatch(Recipient::grantOption);
        Map<String, DatabasePolicy> databases = new LinkedHashMap<>();
        Node databasesNode = entries.get("databases");
        if (databasesNode instanceof MappingNode databaseMap) {
            for (NodeTuple tuple : databaseMap.getValue()) {
                String database = nodes.scalar(tuple.getKeyNode(), "database name");
                if (database != null) {
                    databases.put(database, reader.database(database, tuple.getValueNode(), grantOption, PolicyNodes.line(tuple.getKeyNode())));
                }
            }
        } else if (databasesNode != null) {
            nodes.problem(databasesNode, "'databases' must be a mapping of source database to tables", "write databases: {ordersdb: {share: [...], filtered: {...}}}");
        }
        boolean sharesTables = databases.values().stream().anyMatch(db -> !db.whole().isEmpty() || !db.filtered().isEmpty());
        if (sharesTables && recipients.isEmpty()) {
            nodes.problem(node, "cluster '" + cluster + "' shares tables but has no recipients", "add recipients: [\"<12-digit account id>\"]");
        }
        return new ClusterPolicy(cluster, glueDatabase, recipients, databases, keyLine);
    }

    private List<Recipient> recipients(Node node) {
        if (!(node instanceof SequenceNode sequence)) {
            nodes.problem(node, "'recipients' must be a list", "write recipients: [\"222222222222\"]");
            return List.of();
        }
        List<Recipient> recipients = new ArrayList<>();
        for (Node item : sequence.getValue()) {
            if (item instanceof ScalarNode scalar) {
                if (validAccount(item, scalar.getValue())) {
                    recipients.add(Recipient.account(scalar.getValue(), false));
                }
            } else if (item instanceof MappingNode map) {
                recipients.addAll(recipient(item, nodes.mapping(map, RECIPIENT_KEYS, "a recipient")));
            } else {
                nodes.problem(item, "a recipient must be an account id or a mapping", "write \"222222222222\" or {account: \"222222222222\", principals: [...]}");
            }
        }
        return recipients;
    }

    /** An account given as a mapping: the account itself, or each of the principals listed. */
    private List<Recipient> recipient(Node item, Map<String, Node> entries) {
        String account = entries.containsKey("account") ? nodes.scalar(entries.get("account"), "account") : null;
        if (account == null) {
            nodes.problem(item, "a recipient has no account", "add account: \"<12-digit account id>\"");
            return List.of();
        }
        if (!validAccount(entries.get("account"), account)) {
            return List.of();
        }
        boolean grantOption = entries.containsKey("grant-option") && nodes.bool(entries.get("grant-option"), "grant-option");
        if (!entries.containsKey("principals")) {
            return List.of(Recipient.account(account, grantOption));
        }
        List<Recipient> principals = new ArrayList<>();
        for (Node principalNode : nodes.elements(entries.get("principals"), "principals")) {
            String principal = nodes.scalar(principalNode, "principal");
            if (principal != null && !principal.startsWith("arn:aws:iam::" + account + ":")) {
                nodes.problem(principalNode, "principal '" + principal + "' is not an IAM principal of account " + account,
                        "write arn:aws:iam::" + account + ":role/<name> (or :user/<name>), or list it under its own account");
            } else if (principal != null) {
                principals.add(new Recipient(account, principal, grantOption));
            }
        }
        return principals;
    }

    private boolean validAccount(Node node, String account) {
        if (account.matches("\\d{12}")) {
            return true;
        }
        nodes.problem(node, "'" + account + "' is not a 12-digit AWS account id", "write the account id in quotes, e.g. \"222222222222\"");
        return false;
    }
}
