package io.snaplake.testkit;

import io.snaplake.testkit.LocalInfra;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Plain Kafka clients with the project's Avro serde (named by class, as services configure it), for tests. */
public final class KafkaTopics {

    private KafkaTopics() {
    }

    public static void send(String topic, String key, Object value) {
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", LocalInfra.kafka().bootstrapServers(),
                "key.serializer", StringSerializer.class.getName(),
                "value.serializer", "io.snaplake.serde.AvroSerializer",
                "schema.registry.url", LocalInfra.registry().url(),
                "auto.register.schemas", "true"))) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("could not send to " + topic, e);
        }
    }

    /** Sends {@code value} as it is, whatever it holds: for records no deserializer can read. */
    public static RecordMetadata sendBytes(String topic, String key, byte[] value) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", LocalInfra.kafka().bootstrapServers(),
                "key.serializer", StringSerializer.class.getName(),
                "value.serializer", ByteArraySerializer.class.getName()))) {
            return producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("could not send to " + topic, e);
        }
    }

    /** {@code value} in Confluent's wire format, as the project's serializer writes it for {@code topic}. */
    @SuppressWarnings("unchecked")
    public static byte[] serialize(String topic, Object value) {
        try (Serializer<Object> serializer = (Serializer<Object>) Class.forName("io.snaplake.serde.AvroSerializer")
                .getDeclaredConstructor().newInstance()) {
            serializer.configure(Map.of("schema.registry.url", LocalInfra.registry().url(), "auto.register.schemas", "true"),
                    false);
            return serializer.serialize(topic, value);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the project's Avro serializer is not on the test classpath", e);
        }
    }

    /** A consumer reading {@code topic}'s raw values from its start, in a group of its own. */
    public static KafkaConsumer<String, byte[]> bytesReader(String topic) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                "bootstrap.servers", LocalInfra.kafka().bootstrapServers(),
                "group.id", "test-" + UUID.randomUUID(),
                "auto.offset.reset", "earliest",
                "key.deserializer", StringDeserializer.class.getName(),
                "value.deserializer", ByteArrayDeserializer.class.getName()));
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    /** A consumer reading {@code topic} from its start, in a group of its own. */
    public static KafkaConsumer<String, Object> reader(String topic) {
        KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(Map.of(
                "bootstrap.servers", LocalInfra.kafka().bootstrapServers(),
                "group.id", "test-" + UUID.randomUUID(),
                "auto.offset.reset", "earliest",
                "key.deserializer", StringDeserializer.class.getName(),
                "value.deserializer", "io.snaplake.serde.AvroDeserializer",
                "schema.registry.url", LocalInfra.registry().url(),
                "specific.avro.reader", "true"));
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    public static <V> List<ConsumerRecord<String, V>> poll(KafkaConsumer<String, V> consumer) {
        List<ConsumerRecord<String, V>> records = new ArrayList<>();
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        return records;
    }

    /** The records of the first poll that brings any, waiting up to 30 s for one. */
    public static <V> List<ConsumerRecord<String, V>> awaitRecords(KafkaConsumer<String, V> consumer) {
        List<ConsumerRecord<String, V>> received = new ArrayList<>();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            received.addAll(poll(consumer));
            return !received.isEmpty();
        });
        return received;
    }

    /** The value of the first record keyed {@code key} the consumer reads, waiting up to 90 s for it. */
    public static Object awaitValue(KafkaConsumer<String, Object> consumer, String key) {
        List<ConsumerRecord<String, Object>> seen = new ArrayList<>();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> {
            poll(consumer).stream().filter(record -> key.equals(record.key())).forEach(seen::add);
            return !seen.isEmpty();
        });
        return seen.get(0).value();
    }
}
