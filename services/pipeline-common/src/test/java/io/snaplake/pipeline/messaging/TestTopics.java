package io.snaplake.pipeline.messaging;

import io.snaplake.events.DiscoverySource;
import io.snaplake.events.EventMetadata;
import io.snaplake.events.SnapshotCreated;
import io.snaplake.serde.AvroSerializer;
import io.snaplake.testkit.TestEvents;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Plain Kafka clients and test events for the binding tests. */
final class TestTopics {

    private TestTopics() {
    }

    static SnapshotCreated event(String cluster) {
        String arn = "arn:aws:rds:us-east-1:123456789012:cluster-snapshot:rds:" + cluster + "-2026-11-20-03-10";
        return SnapshotCreated.newBuilder()
                .setMetadata(EventMetadata.newBuilder().setEventId("evt-" + cluster + "-" + UUID.randomUUID())
                        .setRunId("run-" + cluster).setOccurredAt(Instant.parse("2026-11-20T03:15:00Z"))
                        .setProducer("snapshot-listener").build())
                .setSnapshot(TestEvents.clusterSnapshot(cluster, LocalDate.parse("2026-11-20")).setSnapshotArn(arn).build())
                .setDiscoveredBy(DiscoverySource.EVENT)
                .setForceExport(false)
                .build();
    }

    /** The event in Confluent's wire format, its schema registered under the topic's subject. */
    static byte[] serialize(String registryUrl, String topic, Object value) {
        try (AvroSerializer serializer = new AvroSerializer()) {
            serializer.configure(Map.of("schema.registry.url", registryUrl), false);
            return serializer.serialize(topic, value);
        }
    }

    static void sendBytes(String brokers, String topic, String key, byte[] value) {
        sendBytes(brokers, Map.of(), topic, key, value);
    }

    /** With {@code security} (a SASL login) in the producer's configuration. */
    static void sendBytes(String brokers, Map<String, String> security, String topic, String key, byte[] value) {
        Map<String, Object> config = new java.util.HashMap<>(security);
        config.putAll(Map.of(
                "bootstrap.servers", brokers,
                "key.serializer", StringSerializer.class.getName(),
                "value.serializer", ByteArraySerializer.class.getName()));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config)) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("could not send to " + topic, e);
        }
    }

    /** A consumer of {@code topic}'s raw records from its start, in a group of its own. */
    static KafkaConsumer<String, byte[]> bytesReader(String brokers, String topic) {
        return bytesReader(brokers, Map.of(), topic);
    }

    /** With {@code security} (a SASL login) in the consumer's configuration. */
    static KafkaConsumer<String, byte[]> bytesReader(String brokers, Map<String, String> security, String topic) {
        Map<String, Object> config = new java.util.HashMap<>(security);
        config.putAll(Map.of(
                "bootstrap.servers", brokers,
                "group.id", "test-" + UUID.randomUUID(),
                "auto.offset.reset", "earliest",
                "key.deserializer", StringDeserializer.class.getName(),
                "value.deserializer", ByteArrayDeserializer.class.getName()));
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config);
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    static List<ConsumerRecord<String, byte[]>> poll(KafkaConsumer<String, byte[]> consumer) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        return records;
    }
}
