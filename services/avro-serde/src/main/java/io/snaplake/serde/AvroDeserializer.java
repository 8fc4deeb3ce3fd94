package io.snaplake.serde;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.util.Utf8;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads values written in Confluent's wire format ({@link WireFormat}) by this project's
 * {@link AvroSerializer} or Confluent's KafkaAvroSerializer. The writer schema comes from the registry
 * by the id in the header (cached after the first record). With {@code specific.avro.reader=true} the
 * value is an instance of the generated class named like the writer schema, read with that class's
 * schema (so older and newer writers resolve to it); otherwise a GenericRecord (or an Avro primitive).
 * A null value (a tombstone) reads as null.
 *
 * <p>Bad input raises an {@link AvroSerdeException} naming the problem and the topic:
 * {@link UnknownMagicByteException}, {@link TruncatedRecordException}, {@link UnknownSchemaIdException},
 * {@link InvalidAvroDataException}. A registry that cannot answer (unreachable, timing out, 5xx) raises
 * {@link SchemaRegistryUnavailableException} instead: an outage, not poison; the same record reads once the
 * registry is back, so consumers retry it rather than dead-letter it. A Kafka deserializer is not told the record's partition or offset:
 * a plain KafkaConsumer wraps this exception in a {@code RecordDeserializationException} that names
 * them; in the services, Spring Kafka's {@code ErrorHandlingDeserializer} wraps this class, and the
 * dead-letter publishing adds them to the dead-letter record as headers ({@code
 * kafka_dlt-original-topic}, {@code kafka_dlt-original-partition}, {@code kafka_dlt-original-offset}, with
 * the exception in {@code kafka_dlt-exception-message}).
 */
public class AvroDeserializer implements Deserializer<Object> {

    private SchemaRegistryClient registry;
    private AvroSerdeConfig config;
    private final Map<Integer, DatumReader<Object>> readersBySchemaId = new ConcurrentHashMap<>();

    static {
        GeneratedClassTrust.install();
    }

    /** For Kafka, which instantiates deserializers by class name and then calls {@link #configure}. */
    public AvroDeserializer() {
    }

    /** With a given registry client (e.g. one shared by several serdes); configure still reads the other settings. */
    public AvroDeserializer(SchemaRegistryClient registry) {
        this.registry = registry;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.config = AvroSerdeConfig.from(configs);
        if (registry == null) {
            registry = new CachedSchemaRegistryClient(RestSchemaRegistryClient.of(config), config.latestCacheTtlSeconds(),
                    Clock.systemUTC());
        }
    }

    @Override
    public Object deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (config == null) {
            throw new IllegalStateException("AvroDeserializer used before configure()");
        }
        if (data.length < WireFormat.HEADER_SIZE) {
            throw new TruncatedRecordException("Record on topic '" + topic + "' has " + data.length
                    + " bytes, fewer than the " + WireFormat.HEADER_SIZE + "-byte wire format header");
        }
        ByteBuffer buffer = ByteBuffer.wrap(data);
        byte magic = buffer.get();
        if (magic != WireFormat.MAGIC_BYTE) {
            throw new UnknownMagicByteException(topic, magic);
        }
        int id = buffer.getInt();
        DatumReader<Object> reader = readerFor(id, topic);
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, WireFormat.HEADER_SIZE,
                data.length - WireFormat.HEADER_SIZE, null);
        Object value;
        try {
            value = reader.read(null, decoder);
        } catch (EOFException e) {
            throw new TruncatedRecordException("Record on topic '" + topic + "' ends inside its Avro body (schema id "
                    + id + ", " + data.length + " bytes)", e);
        } catch (IOException | RuntimeException e) {
            throw new InvalidAvroDataException("Record on topic '" + topic + "' is not Avro of schema id " + id + ": "
                    + e, e);
        }
        try {
            if (!decoder.isEnd()) {
                throw new InvalidAvroDataException("Record on topic '" + topic + "' is not Avro of schema id " + id
                        + ": bytes left over after the record was read");
            }
        } catch (IOException e) {
            throw new InvalidAvroDataException("Record on topic '" + topic + "' could not be read to its end", e);
        }
        return value instanceof Utf8 text ? text.toString() : value;
    }

    private DatumReader<Object> readerFor(int id, String topic) {
        DatumReader<Object> cached = readersBySchemaId.get(id);
        if (cached != null) {
            return cached;
        }
        Schema writer;
        try {
            writer = registry.schemaById(id);
        } catch (SchemaRegistryUnavailableException e) {
            throw new SchemaRegistryUnavailableException("Record on topic '" + topic + "' names schema id " + id
                    + ", and the schema registry cannot answer now (an outage: the record is fine, retry it): "
                    + e.getMessage(), e);
        } catch (SchemaRegistryException e) {
            if (e.isNotFound()) {
                throw new UnknownSchemaIdException(topic, id, e);
            }
            throw new SchemaRegistryException("Record on topic '" + topic + "' names schema id " + id
                    + ", which the schema registry could not give: " + e.getMessage(), e.status(), e.errorCode(), e);
        }
        DatumReader<Object> reader = config.specificAvroReader() ? specificReader(writer, topic)
                : new GenericDatumReader<>(writer, writer, GenericData.get());
        readersBySchemaId.put(id, reader);
        return reader;
    }

    private static DatumReader<Object> specificReader(Schema writer, String topic) {
        if (writer.getType() != Schema.Type.RECORD) {
            return new GenericDatumReader<>(writer, writer, GenericData.get());
        }
        Class<?> type;
        try {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            type = Class.forName(writer.getFullName(), false,
                    loader != null ? loader : AvroDeserializer.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new AvroSerdeException("Record on topic '" + topic + "' has schema " + writer.getFullName()
                    + ", but " + AvroSerdeConfig.SPECIFIC_AVRO_READER + "=true and no such generated class is on the classpath",
                    e);
        }
        SpecificData model = SpecificData.getForClass(type);
        Schema readerSchema = model.getSchema(type);
        try {
            return new SpecificDatumReader<>(writer, readerSchema, model);
        } catch (AvroRuntimeException e) {
            throw new AvroSerdeException("Cannot read schema " + writer.getFullName() + " on topic '" + topic
                    + "' into " + type.getName() + ": " + e.getMessage(), e);
        }
    }
}
