package io.snaplake.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.snaplake.events.SnapshotCreated;
import io.snaplake.testkit.LocalInfra;
import io.snaplake.testkit.LocalKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The serdes as Kafka uses them: instantiated by class name from client properties (which Kafka passes
 * whole, unknown names included), against the real KRaft broker and Apicurio Registry.
 */
class KafkaClientsRoundTripTest {

    @Test
    void deliversAnEventThroughARealBroker_withSerdesConfiguredByClassName() throws Exception {
        LocalKafka kafka = LocalInfra.kafka();
        String topic = "serde-test." + UUID.randomUUID();
        kafka.createTopics(topic);
        SnapshotCreated event = TestEvents.snapshotCreated();

        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", kafka.bootstrapServers(),
                "key.serializer", StringSerializer.class.getName(),
                "value.serializer", AvroSerializer.class.getName(),
                "schema.registry.url", LocalInfra.registry().url(),
                "auto.register.schemas", "true",
                "enable.idempotence", "true"))) {
            producer.send(new ProducerRecord<>(topic, "123456789012:orders", event)).get();
        }

        try (KafkaConsumer<String, Object> consumer = avroConsumer(kafka, "serde-test")) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, Object>> received = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
                return !received.isEmpty();
            });
            assertThat(received).singleElement().satisfies(record -> {
                assertThat(record.key()).isEqualTo("123456789012:orders");
                assertThat(record.value()).isEqualTo(event);
            });
        }
    }

    @Test
    void aBadRecord_failsThePollWithAnErrorNamingTopicPartitionAndOffset_andTheNextRecordIsRead() throws Exception {
        LocalKafka kafka = LocalInfra.kafka();
        String topic = "serde-poison." + UUID.randomUUID();
        kafka.createTopics(topic);
        SnapshotCreated event = TestEvents.snapshotCreated();
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(Map.of(
                "bootstrap.servers", kafka.bootstrapServers(),
                "key.serializer", StringSerializer.class.getName(),
                "value.serializer", ByteArraySerializer.class.getName()));
             KafkaProducer<String, Object> avro = new KafkaProducer<>(Map.of(
                "bootstrap.servers", kafka.bootstrapServers(),
                "key.serializer", StringSerializer.class.getName(),
                "value.serializer", AvroSerializer.class.getName(),
                "schema.registry.url", LocalInfra.registry().url()))) {
            raw.send(new ProducerRecord<>(topic, 0, "123456789012:orders", "{\"not\": \"avro\"}".getBytes())).get();
            avro.send(new ProducerRecord<>(topic, 0, "123456789012:orders", event)).get();
        }

        try (KafkaConsumer<String, Object> consumer = avroConsumer(kafka, "serde-poison")) {
            consumer.subscribe(List.of(topic));
            RecordDeserializationException error = catchThrowableOfType(RecordDeserializationException.class, () ->
                    await().atMost(Duration.ofSeconds(30)).until(() -> !consumer.poll(Duration.ofMillis(200)).isEmpty()));

            assertThat(error.topicPartition().topic()).isEqualTo(topic);
            assertThat(error.topicPartition().partition()).isZero();
            assertThat(error.offset()).isZero();
            assertThat(error.getMessage()).contains(topic + "-0").contains("offset 0");
            assertThat(error.getCause()).isInstanceOf(UnknownMagicByteException.class).hasMessageContaining(topic);

            consumer.seek(error.topicPartition(), error.offset() + 1);
            List<ConsumerRecord<String, Object>> received = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
                return !received.isEmpty();
            });
            assertThat(received).singleElement().extracting(ConsumerRecord::value).isEqualTo(event);
        }
    }

    private static KafkaConsumer<String, Object> avroConsumer(LocalKafka kafka, String group) {
        return new KafkaConsumer<>(Map.of(
                "bootstrap.servers", kafka.bootstrapServers(),
                "group.id", group,
                "auto.offset.reset", "earliest",
                "key.deserializer", StringDeserializer.class.getName(),
                "value.deserializer", AvroDeserializer.class.getName(),
                "schema.registry.url", LocalInfra.registry().url(),
                "specific.avro.reader", "true"));
    }
}
