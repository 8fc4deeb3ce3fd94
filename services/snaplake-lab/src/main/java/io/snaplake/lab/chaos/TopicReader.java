package io.snaplake.lab.chaos;

import io.snaplake.serde.AvroDeserializer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads whole topics as raw bytes, up to their end at the time of reading, and decodes what is the
 * project's Avro: poison on a topic (the chaos run writes some) is kept as bytes, never stops the read.
 */
final class TopicReader implements AutoCloseable {

    /** One record: its raw value and headers, and the event when the value is readable Avro. */
    record Read(String topic, String key, byte[] value, Map<String, String> headers, SpecificRecord event) {

        String valueText() {
            return value == null ? "" : new String(value, StandardCharsets.UTF_8);
        }
    }

    /** How long reading whole topics may take. */
    private static final Duration READ_TIMEOUT = Duration.ofMinutes(2);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final AvroDeserializer avro = new AvroDeserializer();

    TopicReader(String bootstrapServers, String registryUrl) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * 1024 * 1024);
        props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 16 * 1024 * 1024);
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        avro.configure(Map.of("schema.registry.url", registryUrl, "specific.avro.reader", true), false);
    }

    /** Every record of the topics, from the beginning to their current end. */
    List<Read> readAll(List<String> topics) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            consumer.partitionsFor(topic, READ_TIMEOUT).forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions, READ_TIMEOUT));
        List<Read> records = new ArrayList<>();
        Instant deadline = Instant.now().plus(READ_TIMEOUT);
        while (!end.isEmpty() && Instant.now().isBefore(deadline)) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                records.add(read(record));
            }
            end.entrySet().removeIf(e -> consumer.position(e.getKey(), READ_TIMEOUT) >= e.getValue());
        }
        if (!end.isEmpty()) {
            throw new IllegalStateException("could not read " + end.keySet() + " to their end within " + READ_TIMEOUT);
        }
        return records;
    }

    private Read read(ConsumerRecord<byte[], byte[]> record) {
        Map<String, String> headers = new HashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), header.value() == null ? "" : new String(header.value(), StandardCharsets.UTF_8));
        }
        SpecificRecord event = null;
        if (record.value() != null) {
            try {
                event = avro.deserialize(record.topic(), record.value()) instanceof SpecificRecord specific ? specific : null;
            } catch (RuntimeException notOurAvro) {
                // poison: kept as bytes
            }
        }
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        return new Read(record.topic(), key, record.value(), headers, event);
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
