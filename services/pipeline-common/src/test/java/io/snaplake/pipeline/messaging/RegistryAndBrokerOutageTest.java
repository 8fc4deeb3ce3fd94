package io.snaplake.pipeline.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.snaplake.events.SnapshotCreated;
import io.snaplake.testkit.ApicurioRegistry;
import io.snaplake.testkit.LocalKafka;
import io.snaplake.serde.AvroDeserializer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Outages are waited out, never dead-lettered: the schema registry and the Kafka broker both go down for
 * longer than every retry of the binding (max-attempts 3, 100 ms), the service is restarted during the
 * registry outage (so its schema cache is empty and it must ask the registry), then both come back: every
 * record is processed and the dead-letter topic stays empty.
 *
 * <p>Its own broker and registry (not the JVM-wide ones), since it stops them: a real KRaft broker on a
 * fixed port, shut down and started again with its logs, and Apicurio Registry on an H2 file, stopped and
 * started again with its schemas and ids, as a production registry restarts.
 */
class RegistryAndBrokerOutageTest {

    private static final String INPUT = "outage-in";
    private static final String OUTPUT = "outage-out";
    /** Far longer than the binding's three attempts, and several outage back-offs (200 ms growing to 2 s). */
    private static final Duration OUTAGE = Duration.ofSeconds(12);

    @TempDir
    static Path registryData;
    private static LocalKafka kafka;
    private static ApicurioRegistry registry;

    @BeforeAll
    static void startBackends() {
        kafka = LocalKafka.startRestartable();
        registry = ApicurioRegistry.startPersistent(registryData);
        kafka.createTopics(INPUT, OUTPUT, RelayApplication.deadLetterTopic(INPUT));
    }

    @AfterAll
    static void stopBackends() {
        registry.close();
        kafka.close();
    }

    @Test
    void processesEveryRecord_andDeadLettersNone_whenRegistryAndBrokerAreDownLongerThanEveryRetry() {
        ConfigurableApplicationContext service = startService();
        List<ConsumerRecord<String, byte[]>> relayed = new ArrayList<>();
        List<ConsumerRecord<String, byte[]>> deadLetters = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> output = TestTopics.bytesReader(kafka.bootstrapServers(), OUTPUT);
                KafkaConsumer<String, byte[]> dlq = TestTopics.bytesReader(kafka.bootstrapServers(),
                        RelayApplication.deadLetterTopic(INPUT))) {
            SnapshotCreated before = TestTopics.event("before-outage");
            send(before, TestTopics.serialize(registry.url(), INPUT, before));
            await().atMost(Duration.ofSeconds(60)).until(() -> relayedIds(output, relayed).contains(id(before)));
            // Written during the outage by producers that still hold the schema id: serialized now.
            List<SnapshotCreated> during = IntStream.range(0, 6).mapToObj(i -> TestTopics.event("during-outage-" + i)).toList();
            List<byte[]> duringBytes = during.stream().map(event -> TestTopics.serialize(registry.url(), INPUT, event)).toList();

            registry.stop();
            service.close();
            // Restarted during the registry outage: a new JVM would have no schema cached either.
            service = startService();
            for (int i = 0; i < 3; i++) {
                send(during.get(i), duringBytes.get(i));
            }
            holdsFor(OUTAGE, output, relayed, dlq, deadLetters);

            kafka.stop();
            // Registry and broker both down.
            await().pollDelay(OUTAGE).atMost(OUTAGE.plusSeconds(5)).until(() -> true);
            kafka.restart();
            for (int i = 3; i < during.size(); i++) {
                send(during.get(i), duringBytes.get(i));
            }
            holdsFor(OUTAGE, output, relayed, dlq, deadLetters);

            registry.restart();

            Set<String> expected = during.stream().map(RegistryAndBrokerOutageTest::id).collect(Collectors.toSet());
            await().atMost(Duration.ofSeconds(120)).until(() -> relayedIds(output, relayed).containsAll(expected));
            assertThat(relayed.stream().map(record -> read(record.value())).filter(event -> expected.contains(id(event))).distinct())
                    .containsExactlyInAnyOrderElementsOf(during);
            // The dead-letter topic is read to its end after everything was processed: still empty.
            await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                    .until(() -> deadLetters.addAll(TestTopics.poll(dlq)) || true);
            assertThat(deadLetters).isEmpty();
        } finally {
            service.close();
        }
    }

    /** For the whole duration: nothing relayed from the outage records, nothing dead-lettered. */
    private static void holdsFor(Duration duration, KafkaConsumer<String, byte[]> output,
            List<ConsumerRecord<String, byte[]>> relayed, KafkaConsumer<String, byte[]> dlq,
            List<ConsumerRecord<String, byte[]>> deadLetters) {
        await().during(duration).atMost(duration.plusSeconds(10)).untilAsserted(() -> {
            deadLetters.addAll(TestTopics.poll(dlq));
            output.poll(Duration.ofMillis(100)).forEach(relayed::add);
            assertThat(deadLetters).as("records dead-lettered during the outage").isEmpty();
        });
    }

    private static ConfigurableApplicationContext startService() {
        return RelayApplication.start(kafka.bootstrapServers(), registry.url(), INPUT, OUTPUT);
    }

    private static void send(SnapshotCreated event, byte[] bytes) {
        TestTopics.sendBytes(kafka.bootstrapServers(), INPUT, "123456789012:" + event.getSnapshot().getClusterId(), bytes);
    }

    private static Set<String> relayedIds(KafkaConsumer<String, byte[]> output, List<ConsumerRecord<String, byte[]>> relayed) {
        TestTopics.poll(output).forEach(relayed::add);
        return relayed.stream().map(record -> id(read(record.value()))).collect(Collectors.toSet());
    }

    private static String id(SnapshotCreated event) {
        return event.getMetadata().getEventId();
    }

    private static SnapshotCreated read(byte[] bytes) {
        try (AvroDeserializer deserializer = new AvroDeserializer()) {
            deserializer.configure(Map.of("schema.registry.url", registry.url(), "specific.avro.reader", "true"), false);
            return (SnapshotCreated) deserializer.deserialize(OUTPUT, bytes);
        }
    }
}
