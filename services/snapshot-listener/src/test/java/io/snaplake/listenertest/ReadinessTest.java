package io.snaplake.listenertest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.snaplake.events.SnapshotCreated;
import io.snaplake.pipeline.SnapshotKeys;
import io.snaplake.pipeline.Topic;
import io.snaplake.snapshotlistener.ExpectedEvents;
import io.snaplake.testkit.KafkaTopics;
import java.time.Duration;
import java.time.LocalDate;
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
    void readinessGoesDown_whenTheHistoryTailDies() {
        TestAws.Queues queues = TestAws.queues(TestAws.unique("rds-events"));
        try (RunningListener listener = ListenerProperties.reading(queues).clusters(TestAws.unique("ready"))
                .set("spring.cloud.stream.kafka.binder.consumer-properties.key.deserializer", FailingKeyDeserializer.class.getName())
                .start()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> listener.get("/actuator/health/readiness").statusCode() == 200);

            FailingKeyDeserializer.failing = true;
            writeAnotherReplicasEvent();

            await().atMost(Duration.ofSeconds(60)).until(() -> listener.get("/actuator/health/readiness").statusCode() == 503);
            assertThat(listener.get("/actuator/health/readiness").body()).contains("\"status\":\"DOWN\"");
            assertThat(listener.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        }
    }

    /** A SnapshotCreated as another replica writes it, for the tail to read. */
    private static void writeAnotherReplicasEvent() {
        SnapshotCreated event = ExpectedEvents.clusterSnapshotCreated(TestAws.unique("other"), "rds:other-2026-11-20-03-10",
                LocalDate.of(2026, 11, 20), null).build();
        KafkaTopics.send(Topic.SNAPSHOTS_CREATED.topicName(), SnapshotKeys.recordKey(event.getSnapshot()), event);
    }
}
