package io.snaplake.deploy.aws;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * aws/snaplake.yaml read as CloudFormation reads it: the short-form tags ({@code !Sub}, {@code !GetAtt},
 * ...) become their long forms ({@code Fn::Sub}, ...), so the template can be inspected and sent as JSON.
 */
public final class SnaplakeTemplate {

    static final String RULE = "SnapshotEventsRule";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Object> template;

    private SnaplakeTemplate(Map<String, Object> template) {
        this.template = template;
    }

    public static SnaplakeTemplate load(Path repoRoot) {
        try {
            String yaml = Files.readString(repoRoot.resolve("aws/snaplake.yaml"));
            return new SnaplakeTemplate(new Yaml(new CloudFormationTags()).load(yaml));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A parameter's default value, e.g. {@code GlueDatabasePrefix}'s. */
    @SuppressWarnings("unchecked")
    public String parameterDefault(String name) {
        Map<String, Object> parameter = ((Map<String, Map<String, Object>>) template.get("Parameters")).get(name);
        return String.valueOf(parameter.get("Default"));
    }

    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> resources() {
        return (Map<String, Map<String, Object>>) template.get("Resources");
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> properties(String logicalId) {
        return (Map<String, Object>) resources().get(logicalId).get("Properties");
    }

    /** Every action a role's inline policies allow, e.g. {@code sqs:ReceiveMessage}. */
    @SuppressWarnings("unchecked")
    java.util.Set<String> policyActions(String roleLogicalId) {
        java.util.Set<String> actions = new java.util.TreeSet<>();
        for (Map<String, Object> policy : (List<Map<String, Object>>) properties(roleLogicalId).get("Policies")) {
            Map<String, Object> document = (Map<String, Object>) policy.get("PolicyDocument");
            for (Map<String, Object> statement : (List<Map<String, Object>>) document.get("Statement")) {
                Object action = statement.get("Action");
                if (action instanceof String single) {
                    actions.add(single);
                } else {
                    actions.addAll((List<String>) action);
                }
            }
        }
        return actions;
    }

    /** Logical id -> resource type. */
    Map<String, String> resourceTypes() {
        return resources().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                e -> (String) e.getValue().get("Type"), (a, b) -> a, LinkedHashMap::new));
    }

    /**
     * The rule's event pattern as CloudFormation computes it from the template's Fn::Join for these
     * SnapshotSources: the JSON string PutRule receives.
     */
    String eventPattern(List<String> snapshotSources) {
        return (String) evaluate(properties(RULE).get("EventPattern"), Map.of("SnapshotSources", snapshotSources));
    }

    /**
     * The template as JSON for moto, with the rule's pattern given as an object: moto's CloudFormation
     * json.dumps()es EventPattern whatever its type, so a string pattern (valid for CloudFormation) reaches
     * its rule parser as a JSON string and fails. The object is the one {@link #eventPattern} computes.
     */
    String forMoto(List<String> snapshotSources) {
        try {
            Map<String, Object> copy = JSON.readValue(JSON.writeValueAsString(template), Map.class);
            @SuppressWarnings("unchecked")
            Map<String, Object> rule = (Map<String, Object>) ((Map<String, Map<String, Object>>) copy.get("Resources"))
                    .get(RULE).get("Properties");
            rule.put("EventPattern", JSON.readValue(eventPattern(snapshotSources), Map.class));
            return JSON.writeValueAsString(copy);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Just enough of CloudFormation's intrinsic functions for the event pattern: Fn::Join and Ref to a list. */
    @SuppressWarnings("unchecked")
    private static Object evaluate(Object node, Map<String, List<String>> listParameters) {
        if (node instanceof String) {
            return node;
        }
        Map<String, Object> function = (Map<String, Object>) node;
        if (function.containsKey("Ref")) {
            return listParameters.get((String) function.get("Ref"));
        }
        List<Object> join = (List<Object>) function.get("Fn::Join");
        if (join == null) {
            throw new IllegalArgumentException("cannot evaluate " + node);
        }
        Object list = join.get(1);
        List<Object> items = list instanceof List<?> ? (List<Object>) list : (List<Object>) evaluate(list, listParameters);
        return items.stream().map(item -> item instanceof String s ? s : String.valueOf(evaluate(item, listParameters)))
                .collect(Collectors.joining((String) join.get(0)));
    }

    /** SnakeYAML constructor mapping CloudFormation's short-form tags to their long forms. */
    private static final class CloudFormationTags extends SafeConstructor {

        CloudFormationTags() {
            super(new LoaderOptions());
            for (String function : List.of("Ref", "Sub", "GetAtt", "Join", "Split", "Select", "If", "Equals",
                    "Not", "And", "Or", "FindInMap", "Base64", "Cidr", "GetAZs", "ImportValue", "Condition")) {
                String longForm = function.equals("Ref") || function.equals("Condition") ? function : "Fn::" + function;
                yamlConstructors.put(new Tag("!" + function), new AbstractConstruct() {
                    @Override
                    public Object construct(Node node) {
                        Object value;
                        if (node instanceof ScalarNode scalar) {
                            value = constructScalar(scalar);
                            if (function.equals("GetAtt")) {
                                value = List.of(((String) value).split("\\.", 2));
                            }
                        } else if (node instanceof SequenceNode sequence) {
                            value = constructSequence(sequence);
                        } else {
                            value = constructMapping((MappingNode) node);
                        }
                        return Map.of(longForm, value);
                    }
                });
            }
        }
    }
}
