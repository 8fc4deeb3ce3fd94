package io.snaplake.testkit;

import static io.snaplake.testkit.LakeFormationJson.object;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.snaplake.testkit.LakeFormationJson.LakeFormationError;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@link SimulatedLakeFormation}'s data cells filters, by database, table and name. Not thread-safe: the double serialises calls. */
final class LakeFormationFilters {

    private final Map<String, JsonNode> filters = new TreeMap<>();

    /** Whether the filter a grant names ({@code {"DatabaseName", "TableName", "Name"}}) exists. */
    boolean exists(JsonNode filter) {
        return filters.containsKey(id(filter));
    }

    List<JsonNode> all() {
        return List.copyOf(filters.values());
    }

    void clear() {
        filters.clear();
    }

    JsonNode create(JsonNode body) {
        JsonNode data = body.path("TableData");
        String id = id(data);
        if (filters.containsKey(id)) {
            throw LakeFormationError.invalid("AlreadyExistsException", "Data cells filter already exists: " + id);
        }
        filters.put(id, data);
        return object();
    }

    JsonNode update(JsonNode body) {
        JsonNode data = body.path("TableData");
        String id = id(data);
        if (!filters.containsKey(id)) {
            throw notFound(id);
        }
        filters.put(id, data);
        return object();
    }

    JsonNode delete(JsonNode body) {
        String id = id(body);
        if (filters.remove(id) == null) {
            throw notFound(id);
        }
        return object();
    }

    /** ListDataCellsFilter: every filter, or those of the database (and table) named. */
    JsonNode list(JsonNode body) {
        JsonNode table = body.path("Table");
        ObjectNode answer = object();
        ArrayNode list = answer.putArray("DataCellsFilters");
        filters.values().stream()
                .filter(filter -> table.isMissingNode() || filter.path("DatabaseName").asText().equals(table.path("DatabaseName").asText()))
                .filter(filter -> table.isMissingNode() || !table.has("Name") || filter.path("TableName").asText().equals(table.path("Name").asText()))
                .forEach(list::add);
        return answer;
    }

    static LakeFormationError notFound(String id) {
        return LakeFormationError.invalid("EntityNotFoundException", "Data cells filter not found: " + id);
    }

    static String id(JsonNode filter) {
        return filter.path("DatabaseName").asText() + "/" + filter.path("TableName").asText() + "/" + filter.path("Name").asText();
    }
}
