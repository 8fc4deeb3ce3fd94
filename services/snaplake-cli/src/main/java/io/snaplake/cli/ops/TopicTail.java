package io.snaplake.cli.ops;

import io.snaplake.pipeline.Topic;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Follows pipeline topics from a moment on (no consumer group, nothing committed). */
final class TopicTail implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final EventDecoder decoder;

    TopicTail(KafkaEndpoints endpoints, Collection<Topic> topics, Instant from) {
        Properties props = endpoints.clientProperties();
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "snaplake-cli-tail");
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        this.decoder = new EventDecoder(endpoints);
        List<TopicPartition> partitions = new ArrayList<>();
        for (Topic topic : topics) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic.topicName(), Duration.ofSeconds(30));
            if (infos != null) {
                infos.forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
            }
        }
        consumer.assign(partitions);
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(partition -> query.put(partition, from.toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query, Duration.ofSeconds(30));
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
        for (TopicPartition partition : partitions) {
            OffsetAndTimestamp at = found.get(partition);
            consumer.seek(partition, at == null ? ends.get(partition) : at.offset());
        }
    }

    /** The events that arrived since the last call, waiting at most {@code wait}. */
    List<DayEvent> poll(Duration wait) {
        List<DayEvent> events = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : consumer.poll(wait)) {
            SpecificRecord event = decoder.decode(record.topic(), record.value());
            if (event != null && DayEvent.snapshotOf(event) != null) {
                events.add(new DayEvent(Topic.byName(record.topic()).orElseThrow(), record.partition(), record.offset(),
                        record.key(), event));
            }
        }
        return events;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
        decoder.close();
    }
}
