package io.snaplake.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The JSON of {@link SimulatedLakeFormation}'s wire protocol: one mapper (keys in order) and small readers and writers. */
final class LakeFormationJson {

    static final ObjectMapper JSON = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private LakeFormationJson() {
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    /** LF-Tag pairs as Lake Formation lists them: {@code [{"TagKey": k, "TagValues": [v]}]}. */
    static ArrayNode pairs(Map<String, String> values) {
        ArrayNode pairs = JSON.createArrayNode();
        values.forEach((key, value) -> pairs.addObject().put("TagKey", key).putArray("TagValues").add(value));
        return pairs;
    }

    /** {@code node} as JSON text with its object keys sorted, so that equal resources give equal text. */
    static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(JSON.treeToValue(node, Object.class));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An error answer: its HTTP status and the code Lake Formation names in {@code x-amzn-errortype}. */
    static final class LakeFormationError extends RuntimeException {
        final int status;
        final String code;

        LakeFormationError(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }

        /** A 400 answer: what Lake Formation gives a request it refuses. */
        static LakeFormationError invalid(String code, String message) {
            return new LakeFormationError(400, code, message);
        }
    }
}
