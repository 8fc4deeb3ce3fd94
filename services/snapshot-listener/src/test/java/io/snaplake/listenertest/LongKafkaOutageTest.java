package io.snaplake.listenertest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.snaplake.events.SnapshotCreated;
import io.snaplake.snapshotlistener.RdsEvents;
import io.snaplake.snapshotlistener.config.MicrometerListenerMetrics;
import io.snaplake.testkit.LocalInfra;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Kafka away for many times the queue's visibility timeout, with a redrive policy that moves a message to
 * the dead-letter queue on its second receive: the listener keeps the message hidden and tries again until
 * Kafka is back, then writes its event once. As in {@link KafkaUnavailableTest}, only the SnapshotCreated
 * binding loses Kafka (its topic deleted, then created again), because the JVM's broker is shared.
 */
class LongKafkaOutageTest {

    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final Duration OUTAGE = Duration.ofSeconds(15);

    @Test
    void aMessageIsKeptHiddenAndTriedAgain_whileKafkaIsAway_thenItsEventIsWrittenOnce_neitherRedeliveredNorDeadLettered()
            throws Exception {
        String cluster = TestAws.unique("longoutage");
        String vanishingTopic = TestAws.unique("snaplake.test.outage");
        LocalInfra.kafka().createTopics(vanishingTopic);
        Queues queues = queuesDeadLetteringOnSecondReceive(TestAws.unique("rds-events"));
        String producer = "spring.cloud.stream.kafka.bindings.snapshotCreated-out-0.producer.configuration.";
        TestAws.clusterSnapshotTakenAt(cluster, LocalDateTime.of(2026, 11, 19, 3, 10));
        TestAws.clusterSnapshotTakenAt(cluster, LocalDateTime.of(2026, 11, 20, 3, 10));

        try (RunningListener listener = RunningListener.start(Map.of(
                "snaplake.listener.queue.url", queues.url(),
                "snaplake.listener.queue.dead-letter-queue-url", queues.deadLetterUrl(),
                "snaplake.listener.queue.visibility-timeout", "3s",
                "snaplake.listener.queue.retry-max-backoff", "2s",
                "snaplake.listener.sources.clusters", cluster,
                "snaplake.listener.sweep.enabled", "false",
                "spring.cloud.stream.bindings.snapshotCreated-out-0.destination", vanishingTopic,
                producer + "max.block.ms", "1000",
                producer + "request.timeout.ms", "1000",
                producer + "delivery.timeout.ms", "2000"))) {
            MicrometerListenerMetrics metrics = listener.bean(MicrometerListenerMetrics.class);
            TestAws.send(queues.url(), RdsEvents.clusterSnapshotCreated(cluster, LocalDateTime.of(2026, 11, 19, 3, 10)));
            await().atMost(PATIENCE).until(() -> metrics.count("snaplake.listener.snapshots.emitted", "discovered_by", "event") == 1);
            await().atMost(PATIENCE).until(() -> TestAws.messagesOn(queues.url()) == 0);

            LocalInfra.kafka().admin().deleteTopics(List.of(vanishingTopic)).all().get();
            TestAws.send(queues.url(), RdsEvents.clusterSnapshotCreated(cluster, LocalDateTime.of(2026, 11, 20, 3, 10)));
            await().atMost(PATIENCE).until(() -> metrics.count("snaplake.listener.events.failed") >= 1);
            // Five visibility timeouts of the queue (1 s) and of the listener (3 s) pass while Kafka is away.
            await().pollDelay(OUTAGE).atMost(OUTAGE.plusSeconds(1)).until(() -> true);
            assertThat(TestAws.messagesOn(queues.deadLetterUrl())).as("messages on the dead-letter queue").isZero();
            assertThat(TestAws.messagesOn(queues.url())).as("messages on the queue").isEqualTo(1);
            assertThat(metrics.count("snaplake.listener.snapshots.emitted", "discovered_by", "event")).isEqualTo(1);

            await().atMost(PATIENCE).ignoreException(TopicExistsException.class).untilAsserted(() ->
                    LocalInfra.kafka().admin().createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(
                            vanishingTopic, 3, (short) 1))).all().get());
            await().atMost(PATIENCE).until(() -> metrics.count("snaplake.listener.snapshots.emitted", "discovered_by", "event") == 2);
            await().atMost(PATIENCE).until(() -> TestAws.messagesOn(queues.url()) == 0);

            assertThat(SnapshotCreatedTopic.records(vanishingTopic)).extracting(ConsumerRecord::value)
                    .map(value -> ((SnapshotCreated) value).getSnapshot().getSnapshotDate().toString())
                    .containsExactly("2026-11-20");
            assertThat(TestAws.messagesOn(queues.deadLetterUrl())).isZero();
        }
    }

    private record Queues(String url, String deadLetterUrl) {
    }

    /** A queue whose redrive policy moves a message to its dead-letter queue when it is received a second time. */
    private static Queues queuesDeadLetteringOnSecondReceive(String name) {
        String dlqUrl = TestAws.sqs().createQueue(r -> r.queueName(name + "-dlq")).queueUrl();
        String dlqArn = TestAws.sqs().getQueueAttributes(r -> r.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        String url = TestAws.sqs().createQueue(r -> r.queueName(name).attributes(Map.of(
                QueueAttributeName.VISIBILITY_TIMEOUT, "1",
                QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"1\"}")))
                .queueUrl();
        return new Queues(url, dlqUrl);
    }
}
