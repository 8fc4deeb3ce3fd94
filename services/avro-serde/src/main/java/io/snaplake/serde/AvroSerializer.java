package io.snaplake.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
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
 * With {@code avro.remove.java.properties=true} the generated class's Java-only schema properties are left
 * out first, so the schema is the one registered from the {@code .avsc}.
 * Registry answers are cached: after the first record of a schema, serializing calls no registry.
 *
 * <p>Every error is an {@link AvroSerdeException} naming the topic; a registry that cannot answer is a
 * {@link SchemaRegistryUnavailableException} (an outage: the send can be retried as it is).
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
        if (config.removeJavaProperties()) {
            schema = JavaProperties.removedFrom(schema);
        }
        String subject = config.subjectNameStrategy(isKey).subjectName(topic, isKey, schema);
        try {
            if (config.autoRegisterSchemas()) {
                return write(topic, value, schema, registry.register(subject, schema));
            }
            if (config.useLatestVersion()) {
                return writeWithLatestVersion(topic, subject, value, schema);
            }
            return write(topic, value, schema, lookUp(subject, schema, topic));
        } catch (SchemaRegistryUnavailableException e) {
            throw new SchemaRegistryUnavailableException("Cannot write " + schema.getFullName() + " to topic '" + topic
                    + "' (subject '" + subject + "'): the schema registry cannot answer now: " + e.getMessage(), e);
        } catch (IncompatibleSchemaException e) {
            throw new IncompatibleSchemaException(topic, schema.getFullName(), e);
        } catch (SchemaRegistryException e) {
            if (e.getMessage().contains("'" + topic + "'")) {
                throw e;
            }
            throw new SchemaRegistryException("Cannot write " + schema.getFullName() + " to topic '" + topic + "' (subject '"
                    + subject + "'): " + e.getMessage(), e.status(), e.errorCode(), e);
        }
    }

    private int lookUp(String subject, Schema schema, String topic) {
        try {
            return registry.idOf(subject, schema);
        } catch (SchemaRegistryException e) {
            if (e.isNotFound()) {
                throw new SchemaRegistryException("Schema " + schema.getFullName() + " for topic '" + topic
                        + "' is not registered under subject '" + subject + "' and " + AvroSerdeConfig.AUTO_REGISTER_SCHEMAS
                        + " is false" + (config.removeJavaProperties() ? "" : " (a schema registered from the .avsc lacks the "
                        + "generated class's avro.java.string properties: set " + AvroSerdeConfig.REMOVE_JAVA_PROPERTIES + "=true)")
                        + " (registry: " + e.getMessage() + ")", e.status(), e.errorCode(), e);
            }
            throw e;
        }
    }

    /**
     * {@code use.latest.version=true}: write with the subject's latest schema, as Confluent does. When that
     * schema is the record's own (Java properties aside), the record is written as it is. Otherwise the latest
     * schema must be able to read the record's schema (Confluent's {@code latest.compatibility.strict}); the
     * record is then resolved into it by Avro's own rules (fields by name or alias, the latest schema's
     * defaults for fields the record lacks, type promotion) and written with it. Writing a generated record
     * with another schema's field positions would put wrong or unreadable bytes on the topic.
     */
    private byte[] writeWithLatestVersion(String topic, String subject, Object value, Schema schema) {
        RegisteredSchema latest = registry.latestVersion(subject);
        Schema latestSchema = latest.schema();
        if (JavaProperties.removedFrom(latestSchema).equals(JavaProperties.removedFrom(schema))) {
            return write(topic, value, schema, latest.id());
        }
        SchemaCompatibility.SchemaPairCompatibility compatibility =
                SchemaCompatibility.checkReaderWriterCompatibility(latestSchema, schema);
        if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            throw new IncompatibleLatestVersionException("Cannot write " + schema.getFullName() + " to topic '" + topic
                    + "' with the latest version " + latest.version() + " (schema id " + latest.id() + ") of subject '"
                    + subject + "' (" + AvroSerdeConfig.USE_LATEST_VERSION + "=true): that version cannot read the record's "
                    + "schema (" + registeredVersionOf(subject, schema) + "): " + incompatibilities(compatibility),
                    subject, latest.version());
        }
        byte[] asWritten = encode(topic, value, schema);
        Object resolved;
        try {
            resolved = new GenericDatumReader<>(schema, latestSchema, GenericData.get())
                    .read(null, DecoderFactory.get().binaryDecoder(asWritten, null));
        } catch (IOException | RuntimeException e) {
            throw new IncompatibleLatestVersionException("Cannot write " + schema.getFullName() + " to topic '" + topic
                    + "' with the latest version " + latest.version() + " (schema id " + latest.id() + ") of subject '"
                    + subject + "': resolving the record into it failed: " + e, subject, latest.version());
        }
        return write(topic, resolved, latestSchema, latest.id());
    }

    /** For error messages: under which id, if any, the record's own schema is registered in the subject. */
    private String registeredVersionOf(String subject, Schema schema) {
        try {
            return "registered under the subject as schema id " + registry.idOf(subject, schema);
        } catch (SchemaRegistryException e) {
            return e.isNotFound() ? "not registered under the subject" : "its registration unknown: " + e.getMessage();
        }
    }

    private static String incompatibilities(SchemaCompatibility.SchemaPairCompatibility compatibility) {
        return compatibility.getResult().getIncompatibilities().stream()
                .map(incompatibility -> incompatibility.getType() + " at " + incompatibility.getLocation() + " ("
                        + incompatibility.getMessage() + ")")
                .collect(Collectors.joining("; "));
    }

    private static byte[] write(String topic, Object value, Schema schema, int id) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.write(WireFormat.MAGIC_BYTE);
        out.writeBytes(ByteBuffer.allocate(WireFormat.ID_SIZE).putInt(id).array());
        encodeTo(out, topic, value, schema);
        return out.toByteArray();
    }

    /** The Avro binary of the value alone, without the wire format header. */
    private static byte[] encode(String topic, Object value, Schema schema) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        encodeTo(out, topic, value, schema);
        return out.toByteArray();
    }

    private static void encodeTo(ByteArrayOutputStream out, String topic, Object value, Schema schema) {
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            writerFor(value, schema).write(value, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            // Avro reports a value that does not fit its schema as whatever broke first (ClassCast, NullPointer,
            // IndexOutOfBounds, AvroRuntimeException): always the serde's own exception, naming the topic.
            throw new AvroSerdeException("Could not write a " + value.getClass().getName() + " for topic '" + topic
                    + "' as Avro of " + schema.getFullName() + ": " + e, e);
        }
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
