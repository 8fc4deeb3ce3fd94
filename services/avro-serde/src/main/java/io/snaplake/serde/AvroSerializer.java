package io.snaplake.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.Map;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro values (generated SpecificRecords, GenericRecords, or Avro primitives) in Confluent's
 * wire format ({@link WireFormat}), wire compatible with Confluent's KafkaAvroSerializer and configured
 * with its property names (see {@link AvroSerdeConfig}). The value's schema is registered under the
 * subject chosen by the subject name strategy ({@code auto.register.schemas=true}, the default), or
 * looked up ({@code false}), or the subject's latest version is used ({@code use.latest.version=true}).
 * Registry answers are cached: after the first record of a schema, serializing calls no registry.
 */
public class AvroSerializer implements Serializer<Object> {

    private SchemaRegistryClient registry;
    private AvroSerdeConfig config;
    private boolean isKey;

    static {
        GeneratedClassTrust.install();
    }

    /** For Kafka, which instantiates serializers by class name and then calls {@link #configure}. */
    public AvroSerializer() {
    }

    /** With a given registry client (e.g. one shared by several serdes); configure still reads the other settings. */
    public AvroSerializer(SchemaRegistryClient registry) {
        this.registry = registry;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.config = AvroSerdeConfig.from(configs);
        this.isKey = isKey;
        if (registry == null) {
            registry = new CachedSchemaRegistryClient(RestSchemaRegistryClient.of(config), config.latestCacheTtlSeconds(),
                    Clock.systemUTC());
        }
    }

    @Override
    public byte[] serialize(String topic, Object value) {
        if (value == null) {
            return null;
        }
        if (config == null) {
            throw new IllegalStateException("AvroSerializer used before configure()");
        }
        Schema schema = schemaOf(value, topic);
        String subject = config.subjectNameStrategy(isKey).subjectName(topic, isKey, schema);
        int id;
        if (config.autoRegisterSchemas()) {
            id = registry.register(subject, schema);
        } else if (config.useLatestVersion()) {
            RegisteredSchema latest = registry.latestVersion(subject);
            schema = latest.schema();
            id = latest.id();
        } else {
            id = lookUp(subject, schema, topic);
        }
        return write(topic, value, schema, id);
    }

    private int lookUp(String subject, Schema schema, String topic) {
        try {
            return registry.idOf(subject, schema);
        } catch (SchemaRegistryException e) {
            if (e.isNotFound()) {
                throw new SchemaRegistryException("Schema " + schema.getFullName() + " for topic '" + topic
                        + "' is not registered under subject '" + subject + "' and " + AvroSerdeConfig.AUTO_REGISTER_SCHEMAS
                        + " is false (registry: " + e.getMessage() + ")", e.status(), e.errorCode());
            }
            throw e;
        }
    }

    private static byte[] write(String topic, Object value, Schema schema, int id) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.write(WireFormat.MAGIC_BYTE);
        out.writeBytes(ByteBuffer.allocate(WireFormat.ID_SIZE).putInt(id).array());
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            writerFor(value, schema).write(value, encoder);
            encoder.flush();
        } catch (IOException | AvroRuntimeException | ClassCastException | NullPointerException e) {
            throw new AvroSerdeException("Could not write a " + value.getClass().getName() + " for topic '" + topic
                    + "' as Avro of " + schema.getFullName() + ": " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    @SuppressWarnings("unchecked")
    private static DatumWriter<Object> writerFor(Object value, Schema schema) {
        if (value instanceof SpecificRecord) {
            // The generated class's own model carries its logical type conversions (LocalDate, Instant).
            return new SpecificDatumWriter<>(schema, SpecificData.getForClass(value.getClass()));
        }
        return new GenericDatumWriter<>(schema, GenericData.get());
    }

    private static Schema schemaOf(Object value, String topic) {
        if (value instanceof GenericContainer container) {
            return container.getSchema();
        }
        if (value instanceof CharSequence) {
            return Schema.create(Schema.Type.STRING);
        }
        if (value instanceof Integer) {
            return Schema.create(Schema.Type.INT);
        }
        if (value instanceof Long) {
            return Schema.create(Schema.Type.LONG);
        }
        if (value instanceof Boolean) {
            return Schema.create(Schema.Type.BOOLEAN);
        }
        if (value instanceof Float) {
            return Schema.create(Schema.Type.FLOAT);
        }
        if (value instanceof Double) {
            return Schema.create(Schema.Type.DOUBLE);
        }
        if (value instanceof byte[] || value instanceof ByteBuffer) {
            return Schema.create(Schema.Type.BYTES);
        }
        throw new AvroSerdeException("Cannot write a " + value.getClass().getName() + " for topic '" + topic
                + "' as Avro: expected a SpecificRecord, GenericRecord or Avro primitive");
    }
}
