package io.snaplake.crawlerrunner.messaging;

import io.snaplake.crawlerrunner.domain.CrawlStateStore;
import io.snaplake.crawlerrunner.domain.DoneCopy;
import io.snaplake.crawlerrunner.domain.PendingCopy;
import io.snaplake.events.CrawlCompleted;
import io.snaplake.events.ParquetCopied;
import io.snaplake.pipeline.SnapshotKeys;
import io.snaplake.pipeline.state.StateRecord;
import io.snaplake.pipeline.state.StateTopicStore;
import io.snaplake.pipeline.state.StateUnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The crawler method's state, on a compacted Kafka topic ({@link StateTopicStore}), on the partition of the input
 * record it came from, so that the replica owning input partition p owns state partition p:
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
    private final StateTopicStore<Object> states;

    public KafkaCrawlStateStore(String topic, Map<String, Object> producerConfig, Map<String, Object> consumerConfig, Duration timeout) {
        this.topic = topic;
        Map<String, Object> producer = new HashMap<>(producerConfig);
        producer.put("value.subject.name.strategy", SUBJECT_STRATEGY);
        this.states = new StateTopicStore<>(topic, Object.class, producer, consumerConfig, timeout);
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
        states.put(copy.partition(), copy.key(), copy.event(), copy.requestedAt(), Map.of());
    }

    @Override
    public void saveDone(DoneCopy done) {
        states.put(done.partition(), done.key(), done.completed(), done.recordedAt(), Map.of(CONTENT_HEADER, done.content()));
    }

    @Override
    public void remove(String key, int partition) {
        states.delete(partition, key);
    }

    /**
     * The copies still waiting and the copies done on these partitions, each partition's in the order of their latest
     * writes.
     *
     * @throws StateUnavailableException when the topic cannot be read now or holds a record this service did not write
     */
    @Override
    public State restore(Collection<Integer> partitions) {
        List<Object> latest = states.restore(partitions).values().stream().flatMap(List::stream).map(this::state).toList();
        return new State(latest.stream().filter(PendingCopy.class::isInstance).map(PendingCopy.class::cast).toList(),
                latest.stream().filter(DoneCopy.class::isInstance).map(DoneCopy.class::cast).toList());
    }

    private Object state(StateRecord<Object> record) {
        Optional<String> content = record.header(CONTENT_HEADER);
        if (record.value() instanceof ParquetCopied copied) {
            return pending(record.key(), copied, record.partition(), record.timestamp());
        }
        if (record.value() instanceof CrawlCompleted completed && content.isPresent()) {
            return new DoneCopy(record.key(), record.partition(), record.timestamp(), content.get(), completed);
        }
        throw new StateUnavailableException("State topic " + topic + " holds a record this service did not write at partition "
                + record.partition() + " offset " + record.offset() + " (key " + record.key() + ", "
                + (record.value() instanceof CrawlCompleted ? "a CrawlCompleted without its " + CONTENT_HEADER + " header"
                        : record.value().getClass().getName()) + "): delete it with a tombstone for that key", null);
    }

    @Override
    public void close() {
        states.close();
    }
}
