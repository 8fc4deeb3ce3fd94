package io.snaplake.serde;

import static io.snaplake.serde.SerdeFixtures.deserializer;
import static io.snaplake.serde.SerdeFixtures.freshTopic;
import static io.snaplake.serde.SerdeFixtures.registryUrl;
import static io.snaplake.serde.SerdeFixtures.serializer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.snaplake.events.SnapshotCreated;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

/**
 * The serde beside Confluent's tools, as a user whose schemas are registered by CI from the {@code .avsc}
 * files (not by the services): lookups, Confluent schema references, and {@code use.latest.version}.
 * Against the real Apicurio Registry's Confluent API, which stores and serves references.
 */
class ConfluentEcosystemTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path AVRO_SOURCES = Path.of("../../schemas/src/main/avro");

    private final String topic = freshTopic();
    private final String subject = topic + "-value";

    @Test
    void findsTheSchemaRegisteredFromTheAvsc_whenJavaPropertiesAreRemoved() throws Exception {
        int registered = register(subject, avscText("EventMetadata", "SnapshotRef", "SnapshotCreated"), List.of());

        byte[] bytes = serializer("auto.register.schemas", "false", "avro.remove.java.properties", "true")
                .serialize(topic, TestEvents.snapshotCreated());

        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(registered);
        assertThat(deserializer("specific.avro.reader", "true").deserialize(topic, bytes)).isEqualTo(TestEvents.snapshotCreated());
    }

    @Test
    void explainsTheJavaProperties_whenTheLookupMissesWithoutRemovingThem() throws Exception {
        register(subject, avscText("EventMetadata", "SnapshotRef", "SnapshotCreated"), List.of());

        assertThatThrownBy(() -> serializer("auto.register.schemas", "false").serialize(topic, TestEvents.snapshotCreated()))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("topic '" + topic + "'")
                .hasMessageContaining("set avro.remove.java.properties=true");
    }

    @Test
    void readsARecordWhoseSchemaIsRegisteredWithReferences() throws Exception {
        int metadata = register(topic + "-metadata", Files.readString(AVRO_SOURCES.resolve("EventMetadata.avsc")), List.of());
        int snapshotRef = register(topic + "-snapshot-ref", Files.readString(AVRO_SOURCES.resolve("SnapshotRef.avsc")), List.of());
        int created = register(subject, Files.readString(AVRO_SOURCES.resolve("SnapshotCreated.avsc")), List.of(
                reference("io.snaplake.events.EventMetadata", topic + "-metadata"),
                reference("io.snaplake.events.SnapshotRef", topic + "-snapshot-ref")));
        assertThat(List.of(metadata, snapshotRef)).doesNotContain(created);
        byte[] bytes = confluentWireFormat(created, TestEvents.snapshotCreated());

        Object read = deserializer("specific.avro.reader", "true").deserialize(topic, bytes);

        assertThat(read).isEqualTo(TestEvents.snapshotCreated());
        GenericRecord generic = (GenericRecord) deserializer().deserialize(topic, bytes);
        assertThat(generic.getSchema()).isEqualTo(JavaProperties.removedFrom(SnapshotCreated.getClassSchema()));
    }

    @Test
    void writesWithTheLatestVersion_whenItsSchemaHasReferences() throws Exception {
        register(topic + "-metadata", Files.readString(AVRO_SOURCES.resolve("EventMetadata.avsc")), List.of());
        register(topic + "-snapshot-ref", Files.readString(AVRO_SOURCES.resolve("SnapshotRef.avsc")), List.of());
        int created = register(subject, Files.readString(AVRO_SOURCES.resolve("SnapshotCreated.avsc")), List.of(
                reference("io.snaplake.events.EventMetadata", topic + "-metadata"),
                reference("io.snaplake.events.SnapshotRef", topic + "-snapshot-ref")));

        byte[] bytes = serializer("auto.register.schemas", "false", "use.latest.version", "true")
                .serialize(topic, TestEvents.snapshotCreated());

        assertThat(bytes).isEqualTo(confluentWireFormat(created, TestEvents.snapshotCreated()));
    }

    @Test
    void writesWithANewerLatestVersion_resolvingTheRecordIntoIt() throws Exception {
        String v1 = avscText("EventMetadata", "SnapshotRef", "SnapshotCreated");
        register(subject, v1, List.of());
        // v2 (BACKWARD compatible, so the registry takes it): a new first field with a default, fields reordered.
        ObjectNode v2 = (ObjectNode) JSON.readTree(v1);
        ArrayNode fields = (ArrayNode) v2.get("fields");
        JsonNode forceExport = fields.remove(3);
        fields.insert(0, JSON.readTree("{\"name\":\"note\",\"type\":\"string\",\"default\":\"none\"}"));
        fields.insert(1, forceExport);
        int latest = register(subject, v2.toString(), List.of());

        byte[] bytes = serializer("auto.register.schemas", "false", "use.latest.version", "true")
                .serialize(topic, TestEvents.snapshotCreated());

        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(latest);
        GenericRecord asWritten = (GenericRecord) deserializer().deserialize(topic, bytes);
        assertThat(asWritten.get("note")).hasToString("none");
        assertThat(asWritten.get("forceExport")).isEqualTo(false);
        assertThat(deserializer("specific.avro.reader", "true").deserialize(topic, bytes)).isEqualTo(TestEvents.snapshotCreated());
    }

    @Test
    void refusesALatestVersionThatCannotHoldTheRecord_namingSubjectAndVersion() throws Exception {
        ObjectNode latest = (ObjectNode) JSON.readTree(avscText("EventMetadata", "SnapshotRef", "SnapshotCreated"));
        ((ArrayNode) latest.get("fields")).add(JSON.readTree("{\"name\":\"priority\",\"type\":\"int\"}"));
        int id = register(subject, latest.toString(), List.of());

        assertThatThrownBy(() -> serializer("auto.register.schemas", "false", "use.latest.version", "true")
                .serialize(topic, TestEvents.snapshotCreated()))
                .isInstanceOf(IncompatibleLatestVersionException.class)
                .hasMessageStartingWith("Cannot write io.snaplake.events.SnapshotCreated to topic '" + topic
                        + "' with the latest version 1 (schema id " + id + ") of subject '" + subject + "'")
                .hasMessageContaining("not registered under the subject")
                .hasMessageContaining("priority");
    }

    /** The named schemas parsed in order into one schema, as CI's Avro tooling registers the last of them. */
    private static String avscText(String... names) throws Exception {
        Schema.Parser parser = new Schema.Parser();
        Schema last = null;
        for (String name : names) {
            last = parser.parse(Files.readString(AVRO_SOURCES.resolve(name + ".avsc")));
        }
        return last.toString();
    }

    private static Map<String, Object> reference(String name, String subject) {
        return Map.of("name", name, "subject", subject, "version", 1);
    }

    /** Registers through the Confluent API as CI (or Confluent's Maven plugin) does, with references. */
    private static int register(String subject, String schema, List<Map<String, Object>> references) throws Exception {
        String body = JSON.writeValueAsString(Map.of("schemaType", "AVRO", "schema", schema, "references", references));
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(registryUrl() + "/subjects/" + subject + "/versions"))
                        .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).path("id").asInt();
    }

    private static byte[] confluentWireFormat(int id, SnapshotCreated event) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(ByteBuffer.allocate(4).putInt(id).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<SnapshotCreated>(SnapshotCreated.getClassSchema(), SpecificData.getForClass(SnapshotCreated.class))
                .write(event, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
