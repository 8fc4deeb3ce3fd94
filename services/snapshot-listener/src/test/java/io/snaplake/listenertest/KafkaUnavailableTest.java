package io.snaplake.listenertest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.snaplake.snapshotlistener.RdsEvents;
import io.snaplake.snapshotlistener.config.MicrometerListenerMetrics;
import io.snaplake.testkit.LocalInfra;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The broker is shared by the whole test JVM, so it cannot be stopped for one test. Instead the
 * SnapshotCreated producer alone loses its broker, in the two ways Kafka can be away: not reachable
 * when the first event comes (the binding cannot even be created), and gone after the binding was made
 * (here: its topic deleted, so writes are never acknowledged). The history reader still reads the real
 * topic, and the writes fail through the real binding.
 */
class KafkaUnavailableTest {

    private static final Duration PATIENCE = Duration.ofSeconds(90);

    @Test
    void leavesTheMessageOnTheQueue_whenKafkaDoesNotAcknowledgeTheEvent() throws IOException {
        String cluster = TestAws.unique("nokafka");
        TestAws.Queues queues = TestAws.queues(TestAws.unique("rds-events"));
        TestAws.clusterSnapshotTakenAt(cluster, LocalDateTime.of(2026, 11, 20, 3, 10));
        String body = RdsEvents.clusterSnapshotCreated(cluster, LocalDateTime.of(2026, 11, 20, 3, 10));
        LocalInfra.kafka();

        try (RunningListener listener = RunningListener.start(Map.of(
                "snaplake.listener.queue.url", queues.url(),
                "snaplake.listener.queue.dead-letter-queue-url", queues.deadLetterUrl(),
                "snaplake.listener.sources.clusters", cluster,
                "snaplake.listener.sweep.enabled", "false",
                "spring.cloud.stream.kafka.bindings.snapshotCreated-out-0.producer.configuration.bootstrap.servers",
                "127.0.0.1:" + closedPort(),
                "spring.cloud.stream.kafka.bindings.snapshotCreated-out-0.producer.configuration.max.block.ms", "1000"))) {

            TestAws.send(queues.url(), body);

            MicrometerListenerMetrics metrics = listener.bean(MicrometerListenerMetrics.class);
            await().atMost(PATIENCE).until(() -> metrics.count("snaplake.listener.events.failed") >= 2);
            assertThat(metrics.count("snaplake.listener.snapshots.emitted", "discovered_by", "event")).isZero();
        }

        assertThat(TestAws.messagesOn(queues.url())).isEqualTo(1);
        assertThat(await().atMost(PATIENCE).until(() -> TestAws.peek(queues.url()), messages -> !messages.isEmpty()))
                .singleElement()
                .satisfies(message -> assertThat(message.body()).isEqualTo(body));
        assertThat(TestAws.messagesOn(queues.deadLetterUrl())).isZero();
    }

    @Test
    void leavesTheMessageOnTheQueue_whenKafkaStopsAcknowledgingAfterAWrite() throws Exception {
        String cluster = TestAws.unique("lostkafka");
        String vanishingTopic = TestAws.unique("snaplake.test.vanishing");
        LocalInfra.kafka().createTopics(vanishingTopic);
        TestAws.Queues queues = TestAws.queues(TestAws.unique("rds-events"));
        String producer = "spring.cloud.stream.kafka.bindings.snapshotCreated-out-0.producer.configuration.";
        TestAws.clusterSnapshotTakenAt(cluster, LocalDateTime.of(2026, 11, 19, 3, 10));
        TestAws.clusterSnapshotTakenAt(cluster, LocalDateTime.of(2026, 11, 20, 3, 10));

        try (RunningListener listener = RunningListener.start(Map.of(
                "snaplake.listener.queue.url", queues.url(),
                "snaplake.listener.queue.dead-letter-queue-url", queues.deadLetterUrl(),
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
            String unacknowledged = RdsEvents.clusterSnapshotCreated(cluster, LocalDateTime.of(2026, 11, 20, 3, 10));
            TestAws.send(queues.url(), unacknowledged);

            await().atMost(PATIENCE).until(() -> metrics.count("snaplake.listener.events.failed") >= 2);
            assertThat(metrics.count("snaplake.listener.snapshots.emitted", "discovered_by", "event")).isEqualTo(1);
            listener.close();
            assertThat(TestAws.messagesOn(queues.url())).isEqualTo(1);
            assertThat(await().atMost(PATIENCE).until(() -> TestAws.peek(queues.url()), messages -> !messages.isEmpty()))
                    .singleElement()
                    .satisfies(message -> assertThat(message.body()).isEqualTo(unacknowledged));
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
