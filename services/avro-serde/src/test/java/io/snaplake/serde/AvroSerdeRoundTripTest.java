package io.snaplake.serde;

import static io.snaplake.serde.SerdeFixtures.deserializer;
import static io.snaplake.serde.SerdeFixtures.freshTopic;
import static io.snaplake.serde.SerdeFixtures.properties;
import static io.snaplake.serde.SerdeFixtures.restClient;
import static io.snaplake.serde.SerdeFixtures.serializer;
import static org.assertj.core.api.Assertions.assertThat;

import io.snaplake.events.SnapshotCreated;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

/** Against the real Apicurio Registry started by LocalInfra. */
class AvroSerdeRoundTripTest {

    @Test
    void writesConfluentWireFormat_magicByteThenBigEndianIdThenAvroBinary() throws Exception {
        String topic = freshTopic();
        SnapshotCreated event = TestEvents.snapshotCreated();

        byte[] bytes = serializer().serialize(topic, event);

        int id = restClient().idOf(topic + "-value", SnapshotCreated.getClassSchema());
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(0);
        expected.write(ByteBuffer.allocate(4).putInt(id).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(expected, null);
        new SpecificDatumWriter<>(SnapshotCreated.class).write(event, encoder);
        encoder.flush();
        assertThat(bytes).isEqualTo(expected.toByteArray());
        assertThat(bytes[0]).isZero();
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
    }

    @Test
    void readsBackTheSameSpecificRecord_whenSpecificAvroReaderIsOn() {
        String topic = freshTopic();
        SnapshotCreated event = TestEvents.snapshotCreated();

        Object read = deserializer("specific.avro.reader", "true").deserialize(topic, serializer().serialize(topic, event));

        assertThat(read).isInstanceOf(SnapshotCreated.class).isEqualTo(event);
    }

    @Test
    void readsAGenericRecord_whenSpecificAvroReaderIsOff() {
        String topic = freshTopic();

        Object read = deserializer().deserialize(topic, serializer().serialize(topic, TestEvents.snapshotCreated()));

        assertThat(read).isInstanceOf(GenericRecord.class).isEqualTo(TestEvents.snapshotCreatedGeneric());
    }

    @Test
    void writesAGenericRecord_thatReadsBackAsTheGeneratedClass() {
        String topic = freshTopic();

        byte[] bytes = serializer().serialize(topic, TestEvents.snapshotCreatedGeneric());

        assertThat(deserializer("specific.avro.reader", true).deserialize(topic, bytes))
                .isEqualTo(TestEvents.snapshotCreated());
    }

    @Test
    void writesTheSameBytes_forTheSameRecordAsSpecificOrGeneric() {
        String topic = freshTopic();
        AvroSerializer serializer = serializer();

        assertThat(serializer.serialize(topic, TestEvents.snapshotCreatedGeneric()))
                .isEqualTo(serializer.serialize(topic, TestEvents.snapshotCreated()));
    }

    @Test
    void readsATombstoneAsNull_andWritesNullAsNull() {
        String topic = freshTopic();

        assertThat(serializer().serialize(topic, null)).isNull();
        assertThat(deserializer().deserialize(topic, null)).isNull();
    }

    @Test
    void roundTripsAvroPrimitives() {
        String topic = freshTopic();

        assertThat(deserializer().deserialize(topic, serializer().serialize(topic, "123456789012:orders")))
                .isEqualTo("123456789012:orders");
    }

    /**
     * Counted with {@link CountingSchemaRegistryClient}, a pass-through wrapper around the real HTTP
     * client, placed under the cache exactly where the serdes put the HTTP client.
     */
    @Test
    void callsTheRegistryOncePerSchema_thenServesFromItsCache() {
        String topic = freshTopic();
        CountingSchemaRegistryClient producerSide = new CountingSchemaRegistryClient(restClient());
        CountingSchemaRegistryClient consumerSide = new CountingSchemaRegistryClient(restClient());
        AvroSerializer serializer = new AvroSerializer(new CachedSchemaRegistryClient(producerSide));
        serializer.configure(properties(), false);
        AvroDeserializer deserializer = new AvroDeserializer(new CachedSchemaRegistryClient(consumerSide));
        deserializer.configure(properties("specific.avro.reader", "true"), false);

        for (String cluster : Arrays.asList("a", "b", "c", "d", "e", "f", "g", "h", "i", "j")) {
            SnapshotCreated event = TestEvents.snapshotCreated(cluster);
            assertThat(deserializer.deserialize(topic, serializer.serialize(topic, event))).isEqualTo(event);
        }

        assertThat(producerSide.calls("register")).isEqualTo(1);
        assertThat(producerSide.totalCalls()).isEqualTo(1);
        assertThat(consumerSide.calls("schemaById")).isEqualTo(1);
        assertThat(consumerSide.totalCalls()).isEqualTo(1);
    }
}
