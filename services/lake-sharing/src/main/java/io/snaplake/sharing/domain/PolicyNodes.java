package io.snaplake.sharing.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads the values of a policy file's YAML nodes, and collects a problem, with its line and fix, for every
 * node that is not what the policy expects there (reading goes on, so that all problems are reported at once).
 */
final class PolicyNodes {

    private final String file;
    private final List<PolicyProblem> problems = new ArrayList<>();

    PolicyNodes(String file) {
        this.file = file;
    }

    String file() {
        return file;
    }

    List<PolicyProblem> problems() {
        return problems;
    }

    /** The entries of a mapping by key; an unknown key is a problem. */
    Map<String, Node> mapping(MappingNode map, Set<String> known, String where) {
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

    List<Node> elements(Node node, String key) {
        if (node instanceof SequenceNode sequence) {
            return sequence.getValue();
        }
        problem(node, "'" + key + "' must be a list", "write " + key + ": [a, b]");
        return List.of();
    }

    List<String> strings(Node node, String key) {
        List<String> values = new ArrayList<>();
        for (Node element : elements(node, key)) {
            String value = scalar(element, key + " entry");
            if (value != null && !value.isBlank()) {
                values.add(value);
            }
        }
        return values;
    }

    boolean bool(Node node, String key) {
        String value = scalar(node, key);
        if ("true".equals(value) || "false".equals(value)) {
            return Boolean.parseBoolean(value);
        }
        problem(node, "'" + key + "' must be true or false, got '" + value + "'", "write " + key + ": true");
        return false;
    }

    /** The node's value, or null (and a problem) when it is a list or a mapping. */
    String scalar(Node node, String what) {
        if (node instanceof ScalarNode scalar) {
            return scalar.getValue();
        }
        problem(node, "expected a single value for " + what, "write a plain value, not a list or mapping");
        return null;
    }

    void problem(Node node, String problem, String fix) {
        problems.add(new PolicyProblem(file, line(node), problem, fix));
    }

    /** The node's 1-based line. */
    static int line(Node node) {
        return node.getStartMark().getLine() + 1;
    }
}
