package io.snaplake.serde;

import static io.snaplake.serde.SerdeFixtures.deserializer;
import static io.snaplake.serde.SerdeFixtures.freshTopic;
import static io.snaplake.serde.SerdeFixtures.serializer;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** Each kind of bad input gives its own clear error naming the topic. Against the real Apicurio Registry. */
class AvroDeserializerErrorsTest {

    private final String topic = freshTopic();

    @Test
    void rejectsAWrongMagicByte_showingIt() {
        byte[] bytes = serializer().serialize(topic, TestEvents.snapshotCreated());
        bytes[0] = 0x7b;

        assertThatThrownBy(() -> deserializer().deserialize(topic, bytes))
                .isInstanceOf(UnknownMagicByteException.class)
                .isInstanceOf(SerializationException.class)
                .hasMessage("Record on topic '" + topic + "' is not in Confluent wire format: first byte is 0x7b, expected 0x00");
    }

    @Test
    void rejectsARecordShorterThanTheHeader() {
        assertThatThrownBy(() -> deserializer().deserialize(topic, new byte[] {0, 0, 1}))
                .isInstanceOf(TruncatedRecordException.class)
                .hasMessage("Record on topic '" + topic + "' has 3 bytes, fewer than the 5-byte wire format header");
    }

    @Test
    void rejectsARecordCutShortInsideItsAvroBody() {
        byte[] bytes = serializer().serialize(topic, TestEvents.snapshotCreated());
        byte[] truncated = Arrays.copyOf(bytes, bytes.length - 10);

        assertThatThrownBy(() -> deserializer().deserialize(topic, truncated))
                .isInstanceOf(TruncatedRecordException.class)
                .hasMessageStartingWith("Record on topic '" + topic + "' ends inside its Avro body");
    }

    @Test
    void rejectsAnIdTheRegistryDoesNotKnow() {
        byte[] bytes = ByteBuffer.allocate(9).put((byte) 0).putInt(987_654_321).putInt(42).array();

        assertThatThrownBy(() -> deserializer().deserialize(topic, bytes))
                .isInstanceOf(UnknownSchemaIdException.class)
                .hasMessage("Record on topic '" + topic + "' names schema id 987654321, which the schema registry does not know");
    }

    @Test
    void rejectsBytesThatAreNotAvroOfTheNamedSchema() {
        byte[] valid = serializer().serialize(topic, TestEvents.snapshotCreated());
        byte[] json = "{\"clusterId\":\"orders\"}".getBytes(StandardCharsets.UTF_8);
        byte[] bytes = ByteBuffer.allocate(5 + json.length).put(Arrays.copyOf(valid, 5)).put(json).array();

        assertThatThrownBy(() -> deserializer().deserialize(topic, bytes))
                .isInstanceOf(InvalidAvroDataException.class)
                .hasMessageStartingWith("Record on topic '" + topic + "' is not Avro of schema id "
                        + ByteBuffer.wrap(valid, 1, 4).getInt());
    }

    @Test
    void rejectsTrailingBytesAfterTheRecord() {
        byte[] valid = serializer().serialize(topic, TestEvents.snapshotCreated());
        byte[] bytes = Arrays.copyOf(valid, valid.length + 3);

        assertThatThrownBy(() -> deserializer().deserialize(topic, bytes))
                .isInstanceOf(InvalidAvroDataException.class)
                .hasMessageEndingWith("bytes left over after the record was read");
    }
}
