package io.snaplake.snapshotlistener.messaging;

import io.snaplake.events.SnapshotCreated;
import io.snaplake.events.SnapshotRef;
import io.snaplake.pipeline.SnapshotKeys;
import io.snaplake.pipeline.metrics.StageProgress;
import io.snaplake.snapshotlistener.domain.SnapshotPublisher;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes SnapshotCreated so that replicas racing on one snapshot write one event, with Kafka's own fencing:
 * one transactional producer per partition (the same transactional id in every replica), which reads the
 * partition for the snapshot before it writes. How that settles a race: docs/design/snapshot-listener.md.
 */
public final class FencedSnapshotPublisher implements SnapshotPublisher, AutoCloseable {

    /** The binding whose destination and producer configuration this producer follows. */
    public static final String BINDING = "snapshotCreated-out-0";

    private static final Logger log = LoggerFactory.getLogger(FencedSnapshotPublisher.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** Events are written after the snapshot exists; a day's margin covers clocks and late writes. */
    private static final Duration READ_MARGIN = Duration.ofDays(1);

    private final String topic;
    private final Map<String, Object> producerConfig;
    private final Map<String, Object> consumerConfig;
    private final StageProgress progress;
    private final Map<Integer, KafkaProducer<String, Object>> writers = new HashMap<>();
    private KafkaConsumer<String, Object> reader;

    /**
     * @param producerConfig Kafka producer settings with the Avro serializer
     * @param consumerConfig Kafka consumer settings with the Avro deserializer reading specific records
     * @param progress       told each snapshot that is on the topic (written here or by another replica)
     */
    public FencedSnapshotPublisher(String topic, Map<String, Object> producerConfig, Map<String, Object> consumerConfig,
            StageProgress progress) {
        this.topic = topic;
        this.progress = progress;
        this.producerConfig = new HashMap<>(producerConfig);
        this.producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        this.producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        this.consumerConfig = new HashMap<>(consumerConfig);
        this.consumerConfig.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    }

    @Override
    public synchronized boolean publishUnlessAnnounced(SnapshotCreated event) {
        String key = SnapshotKeys.recordKey(event.getSnapshot());
        int partition = -1;
        KafkaProducer<String, Object> writer = null;
        boolean inTransaction = false;
        try {
            partition = partitionOf(key);
            writer = writerOf(partition);
            if (announced(partition, event.getSnapshot())) {
                log.info("{} is announced already on {}-{} (another replica); not writing it again",
                        event.getSnapshot().getSnapshotArn(), topic, partition);
                progress.completed(event.getSnapshot());
                return false;
            }
            writer.beginTransaction();
            inTransaction = true;
            writer.send(new ProducerRecord<>(topic, partition, key, event)).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            writer.commitTransaction();
            progress.completed(event.getSnapshot());
            return true;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            discard(partition, writer, inTransaction);
            throw new IllegalStateException("SnapshotCreated for " + event.getSnapshot().getSnapshotArn() + " was not written to "
                    + topic + (partition < 0 ? "" : "-" + partition) + ": " + e, e);
        }
    }

    private int partitionOf(String key) {
        int count = reader().partitionsFor(topic, TIMEOUT).size();
        if (count == 0) {
            throw new IllegalStateException("topic " + topic + " has no partitions (does it exist?)");
        }
        // Kafka's default partitioner for keyed records, so the key keeps one cluster's events in order.
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % count;
    }

    /** The partition's producer, created (fencing every other replica's) on first use. */
    private KafkaProducer<String, Object> writerOf(int partition) {
        KafkaProducer<String, Object> writer = writers.get(partition);
        if (writer == null) {
            Map<String, Object> config = new HashMap<>(producerConfig);
            config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "snaplake-snapshot-listener-" + topic + "-" + partition);
            writer = new KafkaProducer<>(config);
            try {
                writer.initTransactions();
            } catch (RuntimeException e) {
                writer.close(Duration.ZERO);
                throw e;
            }
            writers.put(partition, writer);
        }
        return writer;
    }

    /** Whether an event on the partition, written since the snapshot was created, names it. */
    private boolean announced(int partition, SnapshotRef snapshot) {
        KafkaConsumer<String, Object> consumer = reader();
        TopicPartition tp = new TopicPartition(topic, partition);
        consumer.assign(List.of(tp));
        Instant created = snapshot.getSnapshotCreatedAt() != null ? snapshot.getSnapshotCreatedAt()
                : snapshot.getSnapshotDate().atStartOfDay().toInstant(ZoneOffset.UTC);
        long since = created.minus(READ_MARGIN).toEpochMilli();
        long end = consumer.endOffsets(List.of(tp), TIMEOUT).get(tp);
        OffsetAndTimestamp start = consumer.offsetsForTimes(Map.of(tp, Math.max(0, since)), TIMEOUT).get(tp);
        if (start == null) {
            return false;
        }
        consumer.seek(tp, start.offset());
        Instant deadline = Instant.now().plus(TIMEOUT);
        while (consumer.position(tp, TIMEOUT) < end) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("could not read " + tp + " up to offset " + end + " within " + TIMEOUT);
            }
            for (ConsumerRecord<String, Object> record : consumer.poll(Duration.ofMillis(200))) {
                if (record.value() instanceof SnapshotCreated earlier
                        && earlier.getSnapshot().getSnapshotArn().equals(snapshot.getSnapshotArn())) {
                    return true;
                }
            }
        }
        return false;
    }

    private KafkaConsumer<String, Object> reader() {
        if (reader == null) {
            reader = new KafkaConsumer<>(consumerConfig);
        }
        return reader;
    }

    /** A failed or fenced producer is closed; the next attempt creates one again (and fences in turn). */
    private void discard(int partition, KafkaProducer<String, Object> writer, boolean inTransaction) {
        if (writer == null) {
            return;
        }
        writers.remove(partition);
        try {
            if (inTransaction) {
                // Without this the broker would hold the partition's readers back until the transaction times out.
                writer.abortTransaction();
            }
        } catch (RuntimeException alreadyEnded) {
            log.debug("Transaction on {}-{} already ended: {}", topic, partition, alreadyEnded.toString());
        } finally {
            writer.close(Duration.ofSeconds(5));
        }
    }

    @Override
    public synchronized void close() {
        writers.values().forEach(writer -> writer.close(Duration.ofSeconds(5)));
        writers.clear();
        if (reader != null) {
            reader.close(Duration.ofSeconds(5));
        }
    }
}
