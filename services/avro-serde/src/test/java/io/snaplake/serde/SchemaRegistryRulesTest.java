package io.snaplake.serde;

import static io.snaplake.serde.SerdeFixtures.deserializer;
import static io.snaplake.serde.SerdeFixtures.freshTopic;
import static io.snaplake.serde.SerdeFixtures.restClient;
import static io.snaplake.serde.SerdeFixtures.serializer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snaplake.events.SnapshotCreated;
import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.junit.jupiter.api.Test;

/** How the serializer uses the registry's subjects and rules. Against the real Apicurio Registry (BACKWARD). */
class SchemaRegistryRulesTest {

    private final String topic = freshTopic();

    @Test
    void failsToAutoRegisterAnIncompatibleVersion_namingTheSubjectAndTheRegistrysReason() {
        Schema v1 = SchemaBuilder.record("Thing").namespace("io.snaplake.test").fields()
                .requiredString("id").endRecord();
        // A new field without a default: old records cannot be read with it, so not BACKWARD compatible.
        Schema v2 = SchemaBuilder.record("Thing").namespace("io.snaplake.test").fields()
                .requiredString("id").requiredLong("sizeBytes").endRecord();
        AvroSerializer serializer = serializer();
        serializer.serialize(topic, new GenericRecordBuilder(v1).set("id", "a").build());

        GenericRecord incompatible = new GenericRecordBuilder(v2).set("id", "a").set("sizeBytes", 1L).build();

        assertThatThrownBy(() -> serializer.serialize(topic, incompatible))
                .isInstanceOf(IncompatibleSchemaException.class)
                .hasMessageStartingWith("Schema io.snaplake.test.Thing for topic '" + topic
                        + "' is incompatible with the registered versions of subject '" + topic + "-value'")
                .hasMessageContaining("HTTP 409")
                .hasMessageContaining("Incompatible artifact");
    }

    @Test
    void registersACompatibleNewVersion_andOldRecordsStillReadIntoTheNewClass() {
        Schema v1 = SchemaBuilder.record("Thing").namespace("io.snaplake.test").fields()
                .requiredString("id").endRecord();
        Schema v2 = SchemaBuilder.record("Thing").namespace("io.snaplake.test").fields()
                .requiredString("id").name("sizeBytes").type().longType().longDefault(0).endRecord();
        AvroSerializer serializer = serializer();
        byte[] old = serializer.serialize(topic, new GenericRecordBuilder(v1).set("id", "a").build());

        byte[] current = serializer.serialize(topic, new GenericRecordBuilder(v2).set("id", "b").set("sizeBytes", 7L).build());

        assertThat(ByteBuffer.wrap(current, 1, 4).getInt()).isNotEqualTo(ByteBuffer.wrap(old, 1, 4).getInt());
        assertThat(deserializer().deserialize(topic, old)).isEqualTo(new GenericRecordBuilder(v1).set("id", "a").build());
    }

    @Test
    void refusesAnUnregisteredSchema_whenAutoRegistrationIsOff() {
        AvroSerializer serializer = serializer("auto.register.schemas", "false");

        assertThatThrownBy(() -> serializer.serialize(topic, TestEvents.snapshotCreated()))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageStartingWith("Schema io.snaplake.events.SnapshotCreated for topic '" + topic
                        + "' is not registered under subject '" + topic + "-value' and auto.register.schemas is false");
    }

    @Test
    void usesTheRegisteredId_whenAutoRegistrationIsOffAndTheSchemaIsRegistered() {
        int id = restClient().register(topic + "-value", SnapshotCreated.getClassSchema());

        byte[] bytes = serializer("auto.register.schemas", false).serialize(topic, TestEvents.snapshotCreated());

        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
    }

    @Test
    void writesWithTheSubjectsLatestVersion_whenUseLatestVersionIsOn() {
        int id = restClient().register(topic + "-value", SnapshotCreated.getClassSchema());

        byte[] bytes = serializer("auto.register.schemas", "false", "use.latest.version", "true")
                .serialize(topic, TestEvents.snapshotCreated());

        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
        assertThat(deserializer("specific.avro.reader", "true").deserialize(topic, bytes))
                .isEqualTo(TestEvents.snapshotCreated());
    }

    @Test
    void registersUnderTopicAndRecordName_withConfluentsTopicRecordNameStrategy() {
        serializer("value.subject.name.strategy", "io.confluent.kafka.serializers.subject.TopicRecordNameStrategy")
                .serialize(topic, TestEvents.snapshotCreated());

        RegisteredSchema latest = restClient().latestVersion(topic + "-io.snaplake.events.SnapshotCreated");

        assertThat(latest.schema()).isEqualTo(SnapshotCreated.getClassSchema());
    }

    @Test
    void registersUnderTheRecordName_withConfluentsRecordNameStrategy() {
        AvroSerializer serializer = new AvroSerializer();
        serializer.configure(SerdeFixtures.properties(
                "key.subject.name.strategy", "io.confluent.kafka.serializers.subject.RecordNameStrategy"), true);

        byte[] bytes = serializer.serialize(topic, TestEvents.snapshotCreated());

        assertThat(restClient().idOf("io.snaplake.events.SnapshotCreated", SnapshotCreated.getClassSchema()))
                .isEqualTo(ByteBuffer.wrap(bytes, 1, 4).getInt());
    }
}
