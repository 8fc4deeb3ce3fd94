package io.snaplake.serde;

import java.util.Arrays;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;

/**
 * How a topic and a schema map to a registry subject, as Confluent's strategies of the same names do.
 * Configured with Confluent's class names, so a configuration written for Confluent's serializer works.
 */
public enum SubjectNameStrategy {

    /** {@code <topic>-key} / {@code <topic>-value}: one schema (and its versions) per topic. Confluent's default. */
    TOPIC_NAME("TopicNameStrategy") {
        @Override
        public String subjectName(String topic, boolean isKey, Schema schema) {
            return topic + (isKey ? "-key" : "-value");
        }
    },
    /** The record's full name: one subject per record type, whichever topics carry it. */
    RECORD_NAME("RecordNameStrategy") {
        @Override
        public String subjectName(String topic, boolean isKey, Schema schema) {
            return schema.getFullName();
        }
    },
    /** {@code <topic>-<record full name>}: several record types on one topic, each evolving on its own. */
    TOPIC_RECORD_NAME("TopicRecordNameStrategy") {
        @Override
        public String subjectName(String topic, boolean isKey, Schema schema) {
            return topic + "-" + schema.getFullName();
        }
    };

    private static final String CONFLUENT_PACKAGE = "io.confluent.kafka.serializers.subject.";

    private final String confluentSimpleName;

    SubjectNameStrategy(String confluentSimpleName) {
        this.confluentSimpleName = confluentSimpleName;
    }

    public abstract String subjectName(String topic, boolean isKey, Schema schema);

    /** Confluent's class name of this strategy, e.g. io.confluent.kafka.serializers.subject.TopicNameStrategy. */
    public String confluentClassName() {
        return CONFLUENT_PACKAGE + confluentSimpleName;
    }

    /**
     * Reads a configured strategy: Confluent's class name (or the Class itself), its simple name, or this
     * enum's constant name.
     */
    public static SubjectNameStrategy fromConfig(String property, Object value) {
        String name = value instanceof Class<?> type ? type.getName() : String.valueOf(value).trim();
        String simpleName = name.substring(name.lastIndexOf('.') + 1);
        return Arrays.stream(values())
                .filter(s -> s.confluentSimpleName.equals(simpleName) || s.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new ConfigException(property, value, "Unknown subject name strategy; use one of "
                        + Arrays.stream(values()).map(SubjectNameStrategy::confluentClassName).toList()));
    }
}
