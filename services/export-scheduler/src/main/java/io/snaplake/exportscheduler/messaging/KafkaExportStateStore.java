package io.snaplake.exportscheduler.messaging;

import io.snaplake.events.ExportTaskState;
import io.snaplake.events.SnapshotRef;
import io.snaplake.exportscheduler.ExportScheduler;
import io.snaplake.exportscheduler.domain.ExportStateStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * The scheduler's durable state on a compacted Kafka topic: one record per snapshot (the latest wins),
 * written to the partition of the SnapshotCreated it came from, so that the replica that owns input
 * partition p owns state partition p and rebuilds it from there when it is assigned p.
 */
public final class KafkaExportStateStore implements ExportStateStore, AutoCloseable {

    private final String topic;
    /** A save waits at most this long for the broker's acknowledgement (the calling thread waits on it). */
    private final Duration saveTimeout;
    private final Map<String, Object> consumerConfig;
    private final KafkaProducer<String, Object> producer;

    /**
     * @param producerConfig Kafka producer settings with an Avro value serializer
     * @param consumerConfig Kafka consumer settings with an Avro value deserializer reading specific records
     */
    public KafkaExportStateStore(String topic, Map<String, Object> producerConfig, Map<String, Object> consumerConfig,
            Duration saveTimeout) {
        this.topic = topic;
        this.saveTimeout = saveTimeout;
        this.consumerConfig = new HashMap<>(consumerConfig);
        this.consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumerConfig.remove(ConsumerConfig.GROUP_ID_CONFIG);
        Map<String, Object> producerSettings = new HashMap<>(producerConfig);
        producerSettings.put(ProducerConfig.ACKS_CONFIG, "all");
        producerSettings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) saveTimeout.toMillis());
        producerSettings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) saveTimeout.toMillis());
        producerSettings.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) saveTimeout.toMillis() / 2);
        producerSettings.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        this.producer = new KafkaProducer<>(producerSettings);
    }

    @Override
    public void save(ExportTaskState state, int partition) {
        try {
            producer.send(new ProducerRecord<>(topic, partition, ExportScheduler.stateKey(state.getSnapshot()), state))
                    .get(saveTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while saving export state of " + state.getExportTaskId(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaException("could not save export state of " + state.getExportTaskId() + " to " + topic, e);
        }
    }

    /** A tombstone: compaction removes the key (after the topic's delete.retention.ms), and a read-back skips it. */
    @Override
    public void delete(SnapshotRef snapshot, int partition) {
        try {
            producer.send(new ProducerRecord<>(topic, partition, ExportScheduler.stateKey(snapshot), null))
                    .get(saveTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while deleting the export state of " + snapshot.getSnapshotArn(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaException("could not delete the export state of " + snapshot.getSnapshotArn() + " from " + topic, e);
        }
    }

    /** The latest state of every snapshot on these partitions, read from the beginning to the current end. */
    @Override
    public Map<Integer, List<ExportTaskState>> restore(Collection<Integer> partitions) {
        Map<Integer, List<ExportTaskState>> restored = new HashMap<>();
        if (partitions.isEmpty()) {
            return restored;
        }
        try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(consumerConfig)) {
            List<PartitionInfo> existing = consumer.partitionsFor(topic, saveTimeout);
            List<TopicPartition> assigned = new ArrayList<>();
            for (int partition : partitions) {
                if (partition >= existing.size()) {
                    throw new IllegalStateException("State topic " + topic + " has " + existing.size()
                            + " partitions but input partition " + partition + " was assigned: create " + topic
                            + " (compacted) with as many partitions as the input topic");
                }
                assigned.add(new TopicPartition(topic, partition));
            }
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            Map<TopicPartition, Long> end = consumer.endOffsets(assigned, saveTimeout);
            Map<Integer, Map<String, ExportTaskState>> latest = new HashMap<>();
            while (assigned.stream().anyMatch(tp -> consumer.position(tp, saveTimeout) < end.get(tp))) {
                for (ConsumerRecord<String, Object> record : consumer.poll(Duration.ofMillis(500))) {
                    Map<String, ExportTaskState> byKey = latest.computeIfAbsent(record.partition(), p -> new LinkedHashMap<>());
                    if (record.value() == null) {
                        byKey.remove(record.key());
                    } else {
                        byKey.put(record.key(), (ExportTaskState) record.value());
                    }
                }
            }
            partitions.forEach(p -> restored.put(p, List.copyOf(latest.getOrDefault(p, Map.of()).values())));
            return restored;
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
