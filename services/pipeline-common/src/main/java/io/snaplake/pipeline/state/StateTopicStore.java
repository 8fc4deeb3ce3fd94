package io.snaplake.pipeline.state;

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
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

/**
 * A stage's durable state on a compacted Kafka topic, partitioned like its input: the replica that owns input
 * partition p writes the state of p's records to state partition p and reads that partition back when it is
 * assigned p. Keyed puts and tombstones are synchronous (acks=all) and wait at most the timeout. Anything
 * that keeps the state from being written or read is a {@link StateUnavailableException}: an outage, waited
 * out, never a reason to dead-letter a record.
 *
 * @param <V> the type of the values the stage writes (Avro records, through the binder's serde)
 */
public final class StateTopicStore<V> implements AutoCloseable {

    /** Where the binder's consumer settings name the real deserializer behind Spring's ErrorHandlingDeserializer. */
    static final String VALUE_DELEGATE = "spring.deserializer.value.delegate.class";

    private final String topic;
    private final Class<V> valueType;
    private final Duration timeout;
    private final Map<String, Object> consumerConfig;
    private final KafkaProducer<String, Object> producer;

    /**
     * @param producerConfig Kafka producer settings (brokers, serializers), e.g. the binder's own
     * @param consumerConfig Kafka consumer settings (brokers, deserializers), e.g. the binder's own; no group is used
     * @param timeout        how long one write, and a read-back without progress, may wait for the broker
     */
    public StateTopicStore(String topic, Class<V> valueType, Map<String, Object> producerConfig,
            Map<String, Object> consumerConfig, Duration timeout) {
        this.topic = topic;
        this.valueType = valueType;
        this.timeout = timeout;
        this.consumerConfig = readerConfig(consumerConfig);
        this.producer = new KafkaProducer<>(writerConfig(producerConfig, timeout));
    }

    private static Map<String, Object> writerConfig(Map<String, Object> producerConfig, Duration timeout) {
        Map<String, Object> settings = new HashMap<>(producerConfig);
        int millis = (int) timeout.toMillis();
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, millis);
        settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, millis);
        settings.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, millis / 2);
        settings.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        return settings;
    }

    /**
     * No group and no commits: every read-back starts at the beginning. A record the deserializer cannot read must
     * stop the read-back loudly, not become a null (which the binder's error-handling wrapper would make of it).
     */
    private static Map<String, Object> readerConfig(Map<String, Object> consumerConfig) {
        Map<String, Object> settings = new HashMap<>(consumerConfig);
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
        Object delegate = settings.remove(VALUE_DELEGATE);
        if (delegate != null) {
            settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, delegate);
        }
        return settings;
    }

    /** Writes the key's latest value; returns once the broker has it. */
    public void put(int partition, String key, V value) {
        send(new ProducerRecord<>(topic, partition, key, value));
    }

    /**
     * Writes the key's latest value with a timestamp and headers of its own, read back with it.
     *
     * @param headers header names and values (stored as UTF-8)
     */
    public void put(int partition, String key, V value, Instant timestamp, Map<String, String> headers) {
        ProducerRecord<String, Object> record = new ProducerRecord<>(topic, partition, timestamp.toEpochMilli(), key, value);
        headers.forEach((name, text) -> record.headers().add(name, text.getBytes(StandardCharsets.UTF_8)));
        send(record);
    }

    /** Deletes the key (a tombstone: a read-back skips it, compaction removes it); returns once the broker has it. */
    public void delete(int partition, String key) {
        send(new ProducerRecord<>(topic, partition, key, null));
    }

    private void send(ProducerRecord<String, Object> record) {
        String what = (record.value() == null ? "delete " : "write ") + record.key() + " on " + topic + " partition "
                + record.partition();
        try {
            producer.send(record).get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StateUnavailableException("interrupted while waiting to " + what, e);
        } catch (ExecutionException e) {
            throw new StateUnavailableException("could not " + what + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException | RuntimeException e) {
            throw new StateUnavailableException("could not " + what + ": " + e, e);
        }
    }

    /**
     * The latest record of every key on these partitions (tombstoned keys left out), each partition's in the
     * order of their latest writes, read from the partition's beginning to its end as of now.
     *
     * @return by partition, in the order asked for; a partition with no state maps to an empty list
     * @throws StateUnavailableException when the topic cannot be read now, has fewer partitions than asked for,
     *                                   or holds a record that cannot be read or is not a {@code V}
     */
    public Map<Integer, List<StateRecord<V>>> restore(Collection<Integer> partitions) {
        Map<Integer, List<StateRecord<V>>> restored = new LinkedHashMap<>();
        if (partitions.isEmpty()) {
            return restored;
        }
        try {
            Map<Integer, Map<String, StateRecord<V>>> latest = read(partitions);
            partitions.forEach(p -> restored.put(p, List.copyOf(latest.getOrDefault(p, Map.of()).values())));
            return restored;
        } catch (StateUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new StateUnavailableException("could not read back partitions " + partitions + " of state topic " + topic
                    + ": " + e, e);
        }
    }

    private Map<Integer, Map<String, StateRecord<V>>> read(Collection<Integer> partitions) {
        try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(consumerConfig)) {
            int existing = consumer.partitionsFor(topic, timeout).size();
            List<TopicPartition> assigned = new ArrayList<>();
            for (int partition : partitions) {
                if (partition >= existing) {
                    throw new StateUnavailableException("State topic " + topic + " has " + existing + " partitions but input partition "
                            + partition + " was assigned: create " + topic + " (compacted) with as many partitions as the input topic",
                            null);
                }
                assigned.add(new TopicPartition(topic, partition));
            }
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            Map<TopicPartition, Long> end = consumer.endOffsets(assigned, timeout);
            Map<Integer, Map<String, StateRecord<V>>> latest = new HashMap<>();
            Instant giveUpAt = Instant.now().plus(timeout);
            while (assigned.stream().anyMatch(tp -> consumer.position(tp, timeout) < end.get(tp))) {
                var records = consumer.poll(Duration.ofMillis(500));
                if (!records.isEmpty()) {
                    giveUpAt = Instant.now().plus(timeout);
                } else if (Instant.now().isAfter(giveUpAt)) {
                    throw new StateUnavailableException("no progress reading state topic " + topic + " for " + timeout, null);
                }
                for (ConsumerRecord<String, Object> record : records) {
                    Map<String, StateRecord<V>> byKey = latest.computeIfAbsent(record.partition(), p -> new LinkedHashMap<>());
                    byKey.remove(record.key()); // kept in the order of the latest writes
                    if (record.value() != null) {
                        byKey.put(record.key(), stateRecord(record));
                    }
                }
            }
            return latest;
        }
    }

    private StateRecord<V> stateRecord(ConsumerRecord<String, Object> record) {
        if (!valueType.isInstance(record.value())) {
            throw new StateUnavailableException("State topic " + topic + " holds a record this service did not write at partition "
                    + record.partition() + " offset " + record.offset() + " (key " + record.key() + ", a "
                    + record.value().getClass().getName() + "): delete it with a tombstone for that key", null);
        }
        Map<String, String> headers = new HashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), header.value() == null ? "" : new String(header.value(), StandardCharsets.UTF_8));
        }
        return new StateRecord<>(record.partition(), record.offset(), record.key(), valueType.cast(record.value()),
                Instant.ofEpochMilli(record.timestamp()), headers);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
