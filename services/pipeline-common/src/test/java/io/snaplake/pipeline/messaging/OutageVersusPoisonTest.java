package io.snaplake.pipeline.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.snaplake.events.SnapshotCreated;
import io.snaplake.testkit.LocalInfra;
import io.snaplake.serde.AvroDeserializer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * The shared error handling of every service's bindings ({@link DeadLetterPublishing}), in a minimal service
 * ({@link RelayApplication}) on the real broker and Apicurio: poison goes to the dead-letter topic with its
 * reason and the consumer goes on; an AWS outage in the handler lasting longer than every binding retry is
 * waited out, never dead-lettered; a handler bug is dead-lettered after the binding's attempts; readiness
 * follows the consumer.
 */
class OutageVersusPoisonTest {

    private static final String INPUT = "relay-in-" + UUID.randomUUID();
    private static final String OUTPUT = "relay-out-" + UUID.randomUUID();
    private static ConfigurableApplicationContext service;
    private static KafkaConsumer<String, byte[]> output;
    private static KafkaConsumer<String, byte[]> deadLetters;
    private static final List<ConsumerRecord<String, byte[]>> relayed = new ArrayList<>();
    private static final List<ConsumerRecord<String, byte[]>> dead = new ArrayList<>();

    @BeforeAll
    static void startService() {
        String brokers = LocalInfra.kafka().bootstrapServers();
        LocalInfra.kafka().createTopics(INPUT, OUTPUT, RelayApplication.deadLetterTopic(INPUT));
        service = RelayApplication.start(brokers, LocalInfra.registry().url(), INPUT, OUTPUT);
        output = TestTopics.bytesReader(brokers, OUTPUT);
        deadLetters = TestTopics.bytesReader(brokers, RelayApplication.deadLetterTopic(INPUT));
    }

    @AfterAll
    static void stopService() {
        output.close();
        deadLetters.close();
        service.close();
    }

    @Test
    void deadLettersPoisonWithItsReason_andGoesOnWithTheNextRecord() {
        String key = "123456789012:poison";
        SnapshotCreated valid = TestTopics.event("after-poison");
        byte[] unknownSchemaId = ByteBuffer.allocate(9).put((byte) 0).putInt(0x7f7f7f7f).putInt(42).array();
        byte[] wrongMagicByte = {1, 0, 0, 0, 1, 2, 4, 6};

        send(key, unknownSchemaId);
        send(key, wrongMagicByte);
        send(key, TestTopics.serialize(LocalInfra.registry().url(), INPUT, valid));

        assertThat(awaitRelayed(valid)).isEqualTo(valid);
        List<ConsumerRecord<String, byte[]>> poison = awaitDeadLetters(key, 2);
        assertThat(poison).extracting(ConsumerRecord::value).containsExactly(unknownSchemaId, wrongMagicByte);
        assertThat(reason(poison.get(0))).contains("Record on topic '" + INPUT + "' names schema id 2139062143, "
                + "which the schema registry does not know");
        assertThat(reason(poison.get(1))).contains("Record on topic '" + INPUT + "' is not in Confluent wire format");
    }

    @Test
    void waitsOutAnAwsOutageInTheHandler_longerThanEveryBindingRetry_withoutDeadLettering() {
        String key = "123456789012:aws-outage";
        // Six failed attempts: twice the binding's max-attempts (3), each waited out with the outage back-off.
        SnapshotCreated event = TestTopics.event("aws-outage-6");

        send(key, TestTopics.serialize(LocalInfra.registry().url(), INPUT, event));

        assertThat(awaitRelayed(event)).isEqualTo(event);
        assertThat(RelayApplication.ATTEMPTS.get(event.getMetadata().getEventId())).hasValue(7);
        assertThat(deadLettersOf(key)).isEmpty();
    }

    @Test
    void deadLettersAHandlerBug_afterTheBindingsAttempts() {
        String key = "123456789012:business-bug";
        SnapshotCreated event = TestTopics.event("business-bug");
        byte[] bytes = TestTopics.serialize(LocalInfra.registry().url(), INPUT, event);
        double countedBefore = deadLettersCounted();

        send(key, bytes);

        List<ConsumerRecord<String, byte[]>> letters = awaitDeadLetters(key, 1);
        // The alert rules' snaplake_dead_letters_total{topic, group}: one more, once the broker has the letter.
        await().atMost(Duration.ofSeconds(10)).until(() -> deadLettersCounted() == countedBefore + 1);
        // A readable record is dead-lettered as the event it was (re-serialized by the project's serializer).
        assertThat(read(RelayApplication.deadLetterTopic(INPUT), letters.get(0).value())).isEqualTo(event);
        assertThat(reason(letters.get(0))).contains("the handler cannot handle cluster business-bug");
        assertThat(RelayApplication.ATTEMPTS.get(event.getMetadata().getEventId())).hasValue(3);
    }

    @Test
    void readinessGoesDown_whenAConsumerStops_andUpWhenItRunsAgain() {
        HealthIndicator work = service.getBean("workHealthIndicator", HealthIndicator.class);
        MessageListenerContainer container = service.getBean(ConsumerContainers.class).all().get(0).container();
        assertThat(work.health().getStatus()).isEqualTo(Status.UP);

        container.stop();
        try {
            assertThat(work.health().getStatus()).isEqualTo(Status.DOWN);
            assertThat(work.health().getDetails().get("consumers"))
                    .isEqualTo(Map.of(INPUT + " (group " + RelayApplication.GROUP + ")", "stopped"));
        } finally {
            container.start();
        }
        assertThat(work.health().getStatus()).isEqualTo(Status.UP);
    }

    private static void send(String key, byte[] value) {
        TestTopics.sendBytes(LocalInfra.kafka().bootstrapServers(), INPUT, key, value);
    }

    private static SnapshotCreated awaitRelayed(SnapshotCreated event) {
        List<SnapshotCreated> found = new ArrayList<>();
        await().atMost(Duration.ofSeconds(90)).until(() -> {
            TestTopics.poll(output).forEach(relayed::add);
            relayed.stream().map(record -> read(OUTPUT, record.value()))
                    .filter(value -> value.getMetadata().getEventId().equals(event.getMetadata().getEventId()))
                    .forEach(found::add);
            return !found.isEmpty();
        });
        return found.get(0);
    }

    private static List<ConsumerRecord<String, byte[]>> awaitDeadLetters(String key, int count) {
        await().atMost(Duration.ofSeconds(90)).until(() -> deadLettersOf(key).size() >= count);
        return deadLettersOf(key);
    }

    private static List<ConsumerRecord<String, byte[]>> deadLettersOf(String key) {
        TestTopics.poll(deadLetters).forEach(dead::add);
        return dead.stream().filter(record -> key.equals(record.key())).toList();
    }

    private static double deadLettersCounted() {
        Counter counter = service.getBean(MeterRegistry.class).find(DeadLetterPublishing.DEAD_LETTERS)
                .tags("topic", RelayApplication.deadLetterTopic(INPUT), "group", RelayApplication.GROUP).counter();
        return counter == null ? 0 : counter.count();
    }

    private static String reason(ConsumerRecord<String, byte[]> deadLetter) {
        return new String(deadLetter.headers().lastHeader("kafka_dlt-exception-message").value(), StandardCharsets.UTF_8);
    }

    static SnapshotCreated read(String topic, byte[] bytes) {
        try (AvroDeserializer deserializer = new AvroDeserializer()) {
            deserializer.configure(Map.of("schema.registry.url", LocalInfra.registry().url(), "specific.avro.reader", "true"), false);
            return (SnapshotCreated) deserializer.deserialize(topic, bytes);
        }
    }
}
