package io.snaplake.crawlerrunner.messaging;

import io.snaplake.crawlerrunner.crawl.CrawlStateStore;
import io.snaplake.crawlerrunner.crawl.PendingCopy;
import io.snaplake.events.ParquetCopied;
import io.snaplake.pipeline.SnapshotKeys;
import java.time.Duration;
import java.time.Instant;
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
 * Copies waiting for a crawl, on a compacted Kafka topic: the ParquetCopied itself, keyed
 * {@code <account>:<cluster>/<export task id>}, timestamped when it was recorded, on the partition of the input
 * record it came from, so that the replica owning input partition p owns state partition p; a tombstone when
 * its crawl has been reported. The same design as export-scheduler's state topic.
 */
public final class KafkaCrawlStateStore implements CrawlStateStore, AutoCloseable {

    private final String topic;
    private final Duration timeout;
    private final Map<String, Object> consumerConfig;
    private final KafkaProducer<String, Object> producer;

    public KafkaCrawlStateStore(String topic, Map<String, Object> producerConfig, Map<String, Object> consumerConfig, Duration timeout) {
        this.topic = topic;
        this.timeout = timeout;
        this.consumerConfig = new HashMap<>(consumerConfig);
        this.consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumerConfig.remove(ConsumerConfig.GROUP_ID_CONFIG);
        Map<String, Object> producerSettings = new HashMap<>(producerConfig);
        producerSettings.put(ProducerConfig.ACKS_CONFIG, "all");
        producerSettings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) timeout.toMillis());
        producerSettings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        producerSettings.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis() / 2);
        producerSettings.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        this.producer = new KafkaProducer<>(producerSettings);
    }

    /** The state key of a copied export. */
    public static String key(ParquetCopied copied) {
        return SnapshotKeys.recordKey(copied.getSnapshot()) + "/" + copied.getExportTaskId();
    }

    /** A pending copy of a ParquetCopied read from partition {@code partition}, recorded at {@code requestedAt}. */
    public static PendingCopy pending(ParquetCopied copied, int partition, Instant requestedAt) {
        return new PendingCopy(key(copied), partition, requestedAt, CatalogEvents.request(copied), copied);
    }

    @Override
    public void save(PendingCopy copy) {
        send(new ProducerRecord<>(topic, copy.partition(), copy.requestedAt().toEpochMilli(), copy.key(), copy.event()), copy.key());
    }

    @Override
    public void remove(String key, int partition) {
        send(new ProducerRecord<>(topic, partition, key, null), key);
    }

    private void send(ProducerRecord<String, Object> record, String key) {
        try {
            producer.send(record).get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while saving crawl state of " + key, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaException("could not save crawl state of " + key + " to " + topic, e);
        }
    }

    /** The copies still waiting on these partitions, read from the beginning to the current end. */
    @Override
    public List<PendingCopy> restore(Collection<Integer> partitions) {
        if (partitions.isEmpty()) {
            return List.of();
        }
        try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(consumerConfig)) {
            List<PartitionInfo> existing = consumer.partitionsFor(topic, timeout);
            List<TopicPartition> assigned = new ArrayList<>();
            for (int partition : partitions) {
                if (partition >= existing.size()) {
                    throw new IllegalStateException("State topic " + topic + " has " + existing.size() + " partitions but input partition "
                            + partition + " was assigned: create " + topic + " (compacted) with as many partitions as the input topic");
                }
                assigned.add(new TopicPartition(topic, partition));
            }
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            Map<TopicPartition, Long> end = consumer.endOffsets(assigned, timeout);
            Map<String, PendingCopy> latest = new LinkedHashMap<>();
            while (assigned.stream().anyMatch(tp -> consumer.position(tp, timeout) < end.get(tp))) {
                for (ConsumerRecord<String, Object> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.value() == null) {
                        latest.remove(record.key());
                    } else {
                        latest.put(record.key(), pending((ParquetCopied) record.value(), record.partition(),
                                Instant.ofEpochMilli(record.timestamp())));
                    }
                }
            }
            return List.copyOf(latest.values());
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
