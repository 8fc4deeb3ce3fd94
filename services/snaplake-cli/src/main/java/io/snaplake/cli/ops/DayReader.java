package io.snaplake.cli.ops;

import io.snaplake.events.SnapshotRef;
import io.snaplake.pipeline.Topic;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the events of a time window from pipeline topics: for each partition, from the first offset at or
 * after the window's start to the first offset after its end ({@code offsetsForTimes}), so the cost is the
 * window's size, not the topic's. No consumer group: nothing is committed, no running consumer is disturbed.
 */
public final class DayReader implements AutoCloseable {

    /** What a read found: the events kept, and how many records were read to find them. */
    public record Result(List<DayEvent> events, long recordsRead, long undecodable, List<String> missingTopics) {
    }

    private static final Duration POLL = Duration.ofMillis(200);

    private final KafkaConsumer<String, byte[]> consumer;
    private final EventDecoder decoder;

    public DayReader(KafkaEndpoints endpoints) {
        Properties props = endpoints.clientProperties();
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
        // A window ends where a partition's log may end too: don't let the broker hold a fetch for new data.
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "snaplake-cli-reader");
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        this.decoder = new EventDecoder(endpoints);
    }

    /** The events on {@code topics} written within [from, to] whose snapshot passes {@code keep}. */
    public Result read(Collection<Topic> topics, Instant from, Instant to, Predicate<SnapshotRef> keep) {
        List<TopicPartition> partitions = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (Topic topic : topics) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic.topicName(), Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                missing.add(topic.topicName());
                continue;
            }
            infos.forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
        }
        Map<TopicPartition, Long> starts = offsetsAt(partitions, from);
        Map<TopicPartition, Long> ends = offsetsAt(partitions, to.plusMillis(1));
        Map<TopicPartition, Long> remaining = new HashMap<>();
        starts.forEach((partition, start) -> {
            long end = ends.get(partition);
            if (start < end) {
                remaining.put(partition, end);
            }
        });
        List<DayEvent> events = new ArrayList<>();
        long read = 0;
        long undecodable = 0;
        consumer.assign(remaining.keySet());
        remaining.keySet().forEach(partition -> consumer.seek(partition, starts.get(partition)));
        while (!remaining.isEmpty()) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                Long end = remaining.get(partition);
                if (end == null || record.offset() >= end) {
                    continue;
                }
                read++;
                SpecificRecord event = decoder.decode(record.topic(), record.value());
                if (event == null) {
                    undecodable++;
                } else {
                    SnapshotRef snapshot = DayEvent.snapshotOf(event);
                    if (snapshot != null && keep.test(snapshot)) {
                        events.add(new DayEvent(Topic.byName(record.topic()).orElseThrow(), record.partition(),
                                record.offset(), record.key(), event));
                    }
                }
            }
            // Done with a partition once its position passed the window's end (transaction markers included).
            remaining.entrySet().removeIf(entry -> consumer.position(entry.getKey()) >= entry.getValue());
            consumer.pause(consumer.assignment().stream().filter(p -> !remaining.containsKey(p)).toList());
        }
        consumer.unsubscribe();
        return new Result(events, read, undecodable, missing);
    }

    /** Per partition, the first offset written at or after {@code time}, or the end offset if none. */
    private Map<TopicPartition, Long> offsetsAt(List<TopicPartition> partitions, Instant time) {
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(partition -> query.put(partition, time.toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query, Duration.ofSeconds(30));
        Map<TopicPartition, Long> endOffsets = consumer.endOffsets(partitions, Duration.ofSeconds(30));
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (TopicPartition partition : partitions) {
            OffsetAndTimestamp at = found.get(partition);
            offsets.put(partition, at == null ? endOffsets.get(partition) : at.offset());
        }
        return offsets;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
        decoder.close();
    }
}
