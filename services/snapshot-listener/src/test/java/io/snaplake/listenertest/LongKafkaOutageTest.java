package io.snaplake.listenertest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.snaplake.events.SnapshotCreated;
import io.snaplake.snapshotlistener.RdsEvents;
import io.snaplake.snapshotlistener.config.MicrometerListenerMetrics;
import java.time.Duration;
import java.time.LocalDateTime;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.junit.jupiter.api.Test;

/**
 * Kafka away for many times the queue's visibility timeout, with a redrive policy that moves a message to
 * the dead-letter queue on its second receive: the listener keeps the message hidden and tries again until
 * Kafka is back, then writes its event once. As in {@link KafkaUnavailableTest}, only the SnapshotCreated
 * binding loses Kafka (a {@link VanishingTopic}, deleted, then created again).
 */
class LongKafkaOutageTest {

    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final Duration OUTAGE = Duration.ofSeconds(15);

    @Test
    void aMessageIsKeptHiddenAndTriedAgain_whileKafkaIsAway_thenItsEventIsWrittenOnce_neitherRedeliveredNorDeadLettered()
            throws Exception {
        String cluster = TestAws.unique("longoutage");
        VanishingTopic topic = new VanishingTopic("snaplake.test.outage");
        // A queue whose redrive policy moves a message to its dead-letter queue when it is received a second time.
        TestAws.Queues queues = TestAws.queues(TestAws.unique("rds-events"), 1);
        TestAws.clusterSnapshotTakenAt(cluster, LocalDateTime.of(2026, 11, 19, 3, 10));
        TestAws.clusterSnapshotTakenAt(cluster, LocalDateTime.of(2026, 11, 20, 3, 10));

        try (RunningListener listener = topic.writtenBy(ListenerProperties.reading(queues).clusters(cluster)
                .set("snaplake.listener.queue.visibility-timeout", "3s")
                .set("snaplake.listener.queue.retry-max-backoff", "2s")).start()) {
            MicrometerListenerMetrics metrics = listener.bean(MicrometerListenerMetrics.class);
            TestAws.send(queues.url(), RdsEvents.clusterSnapshotCreated(cluster, LocalDateTime.of(2026, 11, 19, 3, 10)));
            await().atMost(PATIENCE).until(() -> metrics.count("snaplake.listener.snapshots.emitted", "discovered_by", "event") == 1);
            await().atMost(PATIENCE).until(() -> TestAws.messagesOn(queues.url()) == 0);

            topic.delete();
            TestAws.send(queues.url(), RdsEvents.clusterSnapshotCreated(cluster, LocalDateTime.of(2026, 11, 20, 3, 10)));
            await().atMost(PATIENCE).until(() -> metrics.count("snaplake.listener.events.failed") >= 1);
            // Five visibility timeouts of the queue (1 s) and of the listener (3 s) pass while Kafka is away.
            await().pollDelay(OUTAGE).atMost(OUTAGE.plusSeconds(1)).until(() -> true);
            assertThat(TestAws.messagesOn(queues.deadLetterUrl())).as("messages on the dead-letter queue").isZero();
            assertThat(TestAws.messagesOn(queues.url())).as("messages on the queue").isEqualTo(1);
            assertThat(metrics.count("snaplake.listener.snapshots.emitted", "discovered_by", "event")).isEqualTo(1);

            await().atMost(PATIENCE).ignoreException(TopicExistsException.class).untilAsserted(topic::createAgain);
            await().atMost(PATIENCE).until(() -> metrics.count("snaplake.listener.snapshots.emitted", "discovered_by", "event") == 2);
            await().atMost(PATIENCE).until(() -> TestAws.messagesOn(queues.url()) == 0);

            assertThat(SnapshotCreatedTopic.records(topic.name())).extracting(ConsumerRecord::value)
                    .map(value -> ((SnapshotCreated) value).getSnapshot().getSnapshotDate().toString())
                    .containsExactly("2026-11-20");
            assertThat(TestAws.messagesOn(queues.deadLetterUrl())).isZero();
        }
    }
}
