package io.snaplake.cli.ops;

import io.snaplake.serde.AvroDeserializer;
import io.snaplake.serde.InvalidAvroDataException;
import io.snaplake.serde.TruncatedRecordException;
import io.snaplake.serde.UnknownMagicByteException;
import io.snaplake.serde.UnknownSchemaIdException;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/** Reads a record's bytes as a snaplake event; poison is reported as null, a registry outage is thrown. */
final class EventDecoder implements AutoCloseable {

    private final AvroDeserializer values = new AvroDeserializer();

    EventDecoder(KafkaEndpoints endpoints) {
        values.configure(endpoints.serdeConfig(Map.of("specific.avro.reader", true)), false);
    }

    /** Our Avro, or null for bytes that are not (a stray record must not stop an operator's command). */
    SpecificRecord decode(String topic, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            return values.deserialize(topic, bytes) instanceof SpecificRecord event ? event : null;
        } catch (TruncatedRecordException | UnknownMagicByteException | InvalidAvroDataException
                | UnknownSchemaIdException notOurs) {
            return null;
        }
    }

    @Override
    public void close() {
        values.close();
    }
}
