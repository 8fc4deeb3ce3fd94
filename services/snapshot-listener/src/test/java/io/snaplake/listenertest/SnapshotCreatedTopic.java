package io.snaplake.listenertest;

import io.snaplake.events.SnapshotCreated;
import io.snaplake.testkit.LocalInfra;
import io.snaplake.pipeline.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads snaplake.snapshots.created as a downstream stage would: key and Avro value. */
public final class SnapshotCreatedTopic {

    private SnapshotCreatedTopic() {
    }

    /** Every record on the topic now, from the beginning to the current end. */
    public static List<ConsumerRecord<String, Object>> records() {
        return records(Topic.SNAPSHOTS_CREATED.topicName());
    }

    /** Every record on {@code topic} now, from the beginning to the current end. */
    public static List<ConsumerRecord<String, Object>> records(String topic) {
        try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalInfra.kafka().bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, "io.snaplake.serde.AvroDeserializer",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                "schema.registry.url", LocalInfra.registry().url(),
                "specific.avro.reader", true))) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, Object>> records = new ArrayList<>();
            while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
            return records;
        }
    }

    /** The SnapshotCreated events about one snapshot. */
    public static List<SnapshotCreated> eventsFor(String snapshotArn) {
        return records().stream()
                .map(ConsumerRecord::value)
                .map(SnapshotCreated.class::cast)
                .filter(event -> event.getSnapshot().getSnapshotArn().equals(snapshotArn))
                .toList();
    }

    /** The record keys of the events about one snapshot. */
    public static List<String> keysFor(String snapshotArn) {
        return records().stream()
                .filter(r -> ((SnapshotCreated) r.value()).getSnapshot().getSnapshotArn().equals(snapshotArn))
                .map(ConsumerRecord::key)
                .toList();
    }
}
