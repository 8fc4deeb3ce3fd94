package io.snaplake.crawlerrunner.messaging;

import io.snaplake.crawlerrunner.crawl.CrawlStateStore;
import io.snaplake.crawlerrunner.crawl.DoneCopy;
import io.snaplake.crawlerrunner.crawl.PendingCopy;
import io.snaplake.events.CrawlCompleted;
import io.snaplake.events.ParquetCopied;
import io.snaplake.pipeline.SnapshotKeys;
import java.nio.charset.StandardCharsets;
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
import org.apache.kafka.common.header.Header;

/**
 * The crawler method's state, on a compacted Kafka topic, on the partition of the input record it came from, so
 * that the replica owning input partition p owns state partition p (the same design as export-scheduler's):
 * <ul>
 *   <li>a copy waiting for a crawl: the ParquetCopied itself, keyed {@code <account>:<cluster>/<export task id>}
 *       (a replay recorded while another event of the export is pending: {@code ...#<its event id>}), timestamped
 *       when it was recorded;</li>
 *   <li>a copy done: the CrawlCompleted it got, under the export's key (replacing the pending copy), timestamped when
 *       it was recorded, its content digest in the {@value #CONTENT_HEADER} header;</li>
 *   <li>a tombstone when a copy has been reported without being done, or a done record has expired.</li>
 * </ul>
 * Two record types on one topic: the producer registers them under {@code <topic>-<record name>} subjects
 * (TopicRecordNameStrategy), so that each evolves on its own under the registry's BACKWARD rule.
 */
public final class KafkaCrawlStateStore implements CrawlStateStore, AutoCloseable {

    /** The done record's content digest ({@link CopyContent}): a replay with the same digest is answered by it. */
    static final String CONTENT_HEADER = "snaplake.copy-content";
    static final String SUBJECT_STRATEGY = "io.confluent.kafka.serializers.subject.TopicRecordNameStrategy";

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
        producerSettings.put("value.subject.name.strategy", SUBJECT_STRATEGY);
        this.producer = new KafkaProducer<>(producerSettings);
    }

    /** The state key of a copied export. */
    public static String key(ParquetCopied copied) {
        return SnapshotKeys.recordKey(copied.getSnapshot()) + "/" + copied.getExportTaskId();
    }

    /** A pending copy of a ParquetCopied read from partition {@code partition}, recorded at {@code requestedAt}. */
    public static PendingCopy pending(ParquetCopied copied, int partition, Instant requestedAt) {
        return pending(key(copied), copied, partition, requestedAt);
    }

    private static PendingCopy pending(String key, ParquetCopied copied, int partition, Instant requestedAt) {
        return new PendingCopy(key, partition, requestedAt, CatalogEvents.request(copied), copied, copied.getMetadata().getEventId(),
                CopyContent.digest(copied));
    }

    @Override
    public void save(PendingCopy copy) {
        send(new ProducerRecord<>(topic, copy.partition(), copy.requestedAt().toEpochMilli(), copy.key(), copy.event()), copy.key());
    }

    @Override
    public void saveDone(DoneCopy done) {
        ProducerRecord<String, Object> record = new ProducerRecord<>(topic, done.partition(), done.recordedAt().toEpochMilli(), done.key(),
                done.completed());
        record.headers().add(CONTENT_HEADER, done.content().getBytes(StandardCharsets.UTF_8));
        send(record, done.key());
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

    /** The copies still waiting and the copies done on these partitions, read from the beginning to the current end. */
    @Override
    public State restore(Collection<Integer> partitions) {
        if (partitions.isEmpty()) {
            return new State(List.of(), List.of());
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
            Map<String, Object> latest = new LinkedHashMap<>();
            while (assigned.stream().anyMatch(tp -> consumer.position(tp, timeout) < end.get(tp))) {
                for (ConsumerRecord<String, Object> record : consumer.poll(Duration.ofMillis(500))) {
                    latest.remove(record.key()); // kept in the order of the latest writes
                    if (record.value() != null) {
                        latest.put(record.key(), state(record));
                    }
                }
            }
            return new State(latest.values().stream().filter(PendingCopy.class::isInstance).map(PendingCopy.class::cast).toList(),
                    latest.values().stream().filter(DoneCopy.class::isInstance).map(DoneCopy.class::cast).toList());
        }
    }

    private Object state(ConsumerRecord<String, Object> record) {
        Instant at = Instant.ofEpochMilli(record.timestamp());
        if (record.value() instanceof ParquetCopied copied) {
            return pending(record.key(), copied, record.partition(), at);
        }
        Header content = record.headers().lastHeader(CONTENT_HEADER);
        if (record.value() instanceof CrawlCompleted completed && content != null) {
            return new DoneCopy(record.key(), record.partition(), at, new String(content.value(), StandardCharsets.UTF_8), completed);
        }
        throw new IllegalStateException("State topic " + topic + " holds a record this service did not write at partition "
                + record.partition() + " offset " + record.offset() + " (key " + record.key() + ", "
                + (record.value() instanceof CrawlCompleted ? "a CrawlCompleted without its " + CONTENT_HEADER + " header"
                        : record.value().getClass().getName()) + "): delete it with a tombstone for that key");
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
