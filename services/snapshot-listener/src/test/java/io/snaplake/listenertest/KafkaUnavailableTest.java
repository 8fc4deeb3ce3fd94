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
import org.junit.jupiter.api.Test;

/**
 * The SnapshotCreated producer alone loses its broker (the JVM's broker is shared), in the two ways Kafka
 * can be away: not reachable when the first event comes (the binding cannot even be created), and gone
 * after the binding was made (a {@link VanishingTopic}, so writes are never acknowledged). The writes fail
 * through the real binding.
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

        String producer = "spring.cloud.stream.kafka.bindings.snapshotCreated-out-0.producer.configuration.";

        try (RunningListener listener = ListenerProperties.reading(queues).clusters(cluster)
                .set(producer + "bootstrap.servers", "127.0.0.1:" + closedPort())
                .set(producer + "max.block.ms", "1000")
                .start()) {

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
        VanishingTopic topic = new VanishingTopic("snaplake.test.vanishing");
        TestAws.Queues queues = TestAws.queues(TestAws.unique("rds-events"));
        TestAws.clusterSnapshotTakenAt(cluster, LocalDateTime.of(2026, 11, 19, 3, 10));
        TestAws.clusterSnapshotTakenAt(cluster, LocalDateTime.of(2026, 11, 20, 3, 10));

        try (RunningListener listener = topic.writtenBy(ListenerProperties.reading(queues).clusters(cluster)).start()) {
            MicrometerListenerMetrics metrics = listener.bean(MicrometerListenerMetrics.class);
            TestAws.send(queues.url(), RdsEvents.clusterSnapshotCreated(cluster, LocalDateTime.of(2026, 11, 19, 3, 10)));
            await().atMost(PATIENCE).until(() -> metrics.count("snaplake.listener.snapshots.emitted", "discovered_by", "event") == 1);
            await().atMost(PATIENCE).until(() -> TestAws.messagesOn(queues.url()) == 0);

            topic.delete();
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
