package io.snaplake.listenertest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.snaplake.events.DiscoverySource;
import io.snaplake.events.SnapshotCreated;
import io.snaplake.events.SnapshotSourceType;
import io.snaplake.testkit.LocalInfra;
import io.snaplake.pipeline.SnapshotKeys;
import io.snaplake.pipeline.Topic;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Readiness follows the history tail: when the consumer that follows snaplake.snapshots.created dies
 * (here its poll() throws, through a key deserializer told to fail), the readiness probe answers DOWN.
 */
class ReadinessTest {

    @AfterEach
    void heal() {
        FailingKeyDeserializer.failing = false;
    }

    @Test
    void readinessGoesDown_whenTheHistoryTailDies() throws Exception {
        TestAws.Queues queues = TestAws.queues(TestAws.unique("rds-events"));
        try (RunningListener listener = RunningListener.start(Map.of(
                "snaplake.listener.queue.url", queues.url(),
                "snaplake.listener.queue.dead-letter-queue-url", queues.deadLetterUrl(),
                "snaplake.listener.sources.clusters", TestAws.unique("ready"),
                "snaplake.listener.sweep.enabled", "false",
                "spring.cloud.stream.kafka.binder.consumer-properties.key.deserializer", FailingKeyDeserializer.class.getName()))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> listener.get("/actuator/health/readiness").statusCode() == 200);

            FailingKeyDeserializer.failing = true;
            writeAnotherReplicasEvent();

            await().atMost(Duration.ofSeconds(60)).until(() -> listener.get("/actuator/health/readiness").statusCode() == 503);
            assertThat(listener.get("/actuator/health/readiness").body()).contains("\"status\":\"DOWN\"");
            assertThat(listener.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        }
    }

    /** A SnapshotCreated as another replica writes it, for the tail to read. */
    private static void writeAnotherReplicasEvent() throws Exception {
        SnapshotCreated event = ExpectedEvents.snapshotCreated(SnapshotSourceType.CLUSTER, TestAws.unique("other"),
                "rds:other-2026-11-20-03-10", LocalDate.of(2026, 11, 20), null, DiscoverySource.EVENT);
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalInfra.kafka().bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, "io.snaplake.serde.AvroSerializer",
                "schema.registry.url", LocalInfra.registry().url()))) {
            producer.send(new ProducerRecord<>(Topic.SNAPSHOTS_CREATED.topicName(), SnapshotKeys.recordKey(event.getSnapshot()), event))
                    .get();
        }
    }
}
