package io.snaplake.parquetcopier.messaging;

import io.snaplake.localinfra.LocalInfra;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Plain Kafka clients with the project's Avro serde (named by class, as services configure it), for tests. */
final class KafkaTopics {

    private KafkaTopics() {
    }

    static void send(String topic, String key, Object value) {
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

    /** A consumer reading {@code topic} from its start, in a group of its own. */
    static KafkaConsumer<String, Object> reader(String topic) {
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

    static List<ConsumerRecord<String, Object>> poll(KafkaConsumer<String, Object> consumer) {
        List<ConsumerRecord<String, Object>> records = new ArrayList<>();
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        return records;
    }
}
