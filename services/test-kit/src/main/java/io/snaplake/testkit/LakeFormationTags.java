package io.snaplake.testkit;

import static io.snaplake.testkit.LakeFormationJson.object;
import static io.snaplake.testkit.LakeFormationJson.pairs;
import static io.snaplake.testkit.LakeFormationJson.strings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.snaplake.testkit.LakeFormationJson.LakeFormationError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@link SimulatedLakeFormation}'s LF-Tags: the tags and their values, and their assignments to databases,
 * tables and columns. A tag value must exist before it is assigned. Not thread-safe: the double serialises calls.
 */
final class LakeFormationTags {

    private final Map<String, List<String>> tags = new TreeMap<>();
    /** Assigned tag values per resource key ("db", "db/table", "db/table/column"), per tag key. */
    private final Map<String, Map<String, String>> assigned = new TreeMap<>();

    /** Whether tag {@code key} exists with every one of {@code values}. */
    boolean hasValues(String key, List<String> values) {
        List<String> existing = tags.get(key);
        return existing != null && existing.containsAll(values);
    }

    void clear() {
        tags.clear();
        assigned.clear();
    }

    JsonNode getTag(JsonNode body) {
        String key = body.path("TagKey").asText();
        List<String> values = tags.get(key);
        if (values == null) {
            throw LakeFormationError.invalid("EntityNotFoundException", "Tag or tag value does not exist: " + key);
        }
        ObjectNode answer = object().put("TagKey", key);
        values.forEach(answer.putArray("TagValues")::add);
        return answer;
    }

    JsonNode createTag(JsonNode body) {
        String key = body.path("TagKey").asText();
        if (tags.containsKey(key)) {
            throw LakeFormationError.invalid("AlreadyExistsException", "Tag key already exists: " + key);
        }
        tags.put(key, new ArrayList<>(strings(body.path("TagValues"))));
        return object();
    }

    JsonNode updateTag(JsonNode body) {
        String key = body.path("TagKey").asText();
        List<String> values = tags.get(key);
        if (values == null) {
            throw LakeFormationError.invalid("EntityNotFoundException", "Tag does not exist: " + key);
        }
        strings(body.path("TagValuesToAdd")).stream().filter(value -> !values.contains(value)).forEach(values::add);
        values.removeAll(strings(body.path("TagValuesToDelete")));
        return object();
    }

    /** AddLFTagsToResource ({@code add}) or RemoveLFTagsFromResource: unknown tag values come back as failures. */
    JsonNode changeResourceTags(JsonNode body, boolean add) {
        List<String> targets = tagTargets(body.path("Resource"));
        ObjectNode answer = object();
        ArrayNode failures = answer.putArray("Failures");
        for (JsonNode tag : body.path("LFTags")) {
            String key = tag.path("TagKey").asText();
            List<String> values = strings(tag.path("TagValues"));
            if (!tags.containsKey(key) || values.size() != 1 || !tags.get(key).contains(values.get(0))) {
                ObjectNode failure = failures.addObject();
                failure.set("LFTag", tag);
                failure.putObject("Error").put("ErrorCode", "InvalidInputException")
                        .put("ErrorMessage", "Tag or tag value does not exist: " + key + "=" + values);
                continue;
            }
            for (String target : targets) {
                if (add) {
                    assigned.computeIfAbsent(target, t -> new TreeMap<>()).put(key, values.get(0));
                } else if (values.get(0).equals(assigned.getOrDefault(target, Map.of()).get(key))) {
                    assigned.get(target).remove(key);
                }
            }
        }
        return answer;
    }

    private static List<String> tagTargets(JsonNode resource) {
        if (resource.has("Database")) {
            return List.of(resource.path("Database").path("Name").asText());
        }
        if (resource.has("Table")) {
            JsonNode table = resource.path("Table");
            return List.of(table.path("DatabaseName").asText() + "/" + table.path("Name").asText());
        }
        if (resource.has("TableWithColumns")) {
            JsonNode table = resource.path("TableWithColumns");
            String prefix = table.path("DatabaseName").asText() + "/" + table.path("Name").asText() + "/";
            return strings(table.path("ColumnNames")).stream().map(column -> prefix + column).toList();
        }
        throw LakeFormationError.invalid("InvalidInputException", "unsupported resource for LF-Tags: " + resource);
    }

    /** GetResourceLFTags: a database's tags, or a table's and its columns'. */
    JsonNode resourceTags(JsonNode body) {
        JsonNode resource = body.path("Resource");
        ObjectNode answer = object();
        if (resource.has("Database")) {
            answer.set("LFTagOnDatabase", pairs(assigned.getOrDefault(resource.path("Database").path("Name").asText(), Map.of())));
            return answer;
        }
        JsonNode table = resource.has("Table") ? resource.path("Table") : resource.path("TableWithColumns");
        String prefix = table.path("DatabaseName").asText() + "/" + table.path("Name").asText();
        answer.set("LFTagsOnTable", pairs(assigned.getOrDefault(prefix, Map.of())));
        ArrayNode columns = answer.putArray("LFTagsOnColumns");
        assigned.forEach((target, values) -> {
            if (target.startsWith(prefix + "/") && !values.isEmpty()) {
                ObjectNode column = columns.addObject().put("Name", target.substring(prefix.length() + 1));
                column.set("LFTags", pairs(values));
            }
        });
        return answer;
    }
}
