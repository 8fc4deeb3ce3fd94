package io.snaplake.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * Removes what the Avro compiler adds to a generated class's schema for Java alone ({@code avro.java.string}
 * with {@code stringType=String}), as Confluent's serializer does with {@code avro.remove.java.properties=true}.
 * A schema registered from the {@code .avsc} (by CI, or Confluent's Maven plugin) has no such property, and
 * registries compare schemas with their properties: without this, looking the class's schema up answers 404.
 */
final class JavaProperties {

    static final String AVRO_JAVA_STRING = "avro.java.string";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<Schema, Schema> REMOVED = new ConcurrentHashMap<>();

    private JavaProperties() {
    }

    /** The schema without Java-only properties at any depth; the same instance when it has none. */
    static Schema removedFrom(Schema schema) {
        return REMOVED.computeIfAbsent(schema, JavaProperties::remove);
    }

    private static Schema remove(Schema schema) {
        String text = schema.toString();
        if (!text.contains("\"" + AVRO_JAVA_STRING + "\"")) {
            return schema;
        }
        try {
            JsonNode json = JSON.readTree(text);
            strip(json);
            return new Schema.Parser().parse(JSON.writeValueAsString(json));
        } catch (IOException e) {
            throw new AvroSerdeException("Could not remove " + AVRO_JAVA_STRING + " from schema " + schema.getFullName(), e);
        }
    }

    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove(AVRO_JAVA_STRING);
        }
        node.forEach(JavaProperties::strip);
    }
}
