package io.snaplake.listenertest;

import static io.snaplake.listenertest.SnapshotCreatedTopic.eventsFor;
import static io.snaplake.listenertest.SnapshotCreatedTopic.keysFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.snaplake.events.DiscoverySource;
import io.snaplake.snapshotlistener.ExpectedEvents;
import io.snaplake.snapshotlistener.RdsEvents;
import io.snaplake.snapshotlistener.aws.SqsEventQueue;
import io.snaplake.snapshotlistener.config.MicrometerListenerMetrics;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.rds.model.DBClusterSnapshot;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * RDS events delivered to SQS (moto) the way EventBridge delivers them, handled by the running listener
 * and written to the real Kafka broker. The listener finds the dead-letter queue through the queue's
 * redrive policy.
 */
class SnapshotEventQueueTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String PREFIX = TestAws.unique("evq");
    private static final LocalDateTime TAKEN_AT = LocalDateTime.of(2026, 11, 20, 3, 10);

    private static TestAws.Queues queues;
    @AutoClose
    private static RunningListener listener;

    @BeforeAll
    static void startListener() {
        queues = TestAws.queues(TestAws.unique("rds-events"));
        listener = ListenerProperties.readingWithRedrivePolicy(queues).clusters(PREFIX + "-*").instances(PREFIX + "-db").start();
    }

    @Test
    void emitsTheWholeSnapshotCreated_forAnAutomatedClusterSnapshotEvent() {
        String cluster = PREFIX + "-orders";
        String snapshotId = "rds:" + cluster + "-2026-11-20-03-10";
        TestAws.clusterSnapshotTakenAt(cluster, TAKEN_AT);

        TestAws.send(queues.url(), RdsEvents.clusterSnapshotCreated(cluster, TAKEN_AT));

        String arn = ExpectedEvents.clusterSnapshotArn(snapshotId);
        await().atMost(PATIENCE).until(() -> !eventsFor(arn).isEmpty());
        assertThat(eventsFor(arn)).containsExactly(ExpectedEvents.clusterSnapshotCreated(cluster, snapshotId, LocalDate.of(2026, 11, 20), null)
                .setAllocatedStorageGb(TestAws.CLUSTER_STORAGE_GB)
                .setDiscoveredBy(DiscoverySource.EVENT)
                .build());
        assertThat(keysFor(arn)).containsExactly("123456789012:" + cluster);
        await().atMost(PATIENCE).until(() -> TestAws.messagesOn(queues.url()) == 0);
    }

    @Test
    void emitsTheSnapshotsAllocatedStorage_asRdsDescribesIt() {
        String cluster = PREFIX + "-sized";
        String instance = PREFIX + "-db";
        DBClusterSnapshot clusterSnapshot = TestAws.clusterWithAutomatedSnapshot(cluster);
        DBSnapshot instanceSnapshot = TestAws.instanceWithAutomatedSnapshot(instance);

        TestAws.send(queues.url(), RdsEvents.clusterSnapshotCreated(clusterSnapshot.dbClusterSnapshotIdentifier()));
        TestAws.send(queues.url(), RdsEvents.instanceSnapshotCreated(instanceSnapshot.dbSnapshotIdentifier()));

        await().atMost(PATIENCE).until(() -> !eventsFor(clusterSnapshot.dbClusterSnapshotArn()).isEmpty()
                && !eventsFor(instanceSnapshot.dbSnapshotArn()).isEmpty());
        assertThat(eventsFor(clusterSnapshot.dbClusterSnapshotArn())).containsExactly(ExpectedEvents.clusterSnapshotCreated(cluster,
                        clusterSnapshot.dbClusterSnapshotIdentifier(), TestAws.dayOf(clusterSnapshot.dbClusterSnapshotIdentifier()), null)
                .setAllocatedStorageGb(TestAws.CLUSTER_STORAGE_GB)
                .setDiscoveredBy(DiscoverySource.EVENT)
                .build());
        assertThat(eventsFor(instanceSnapshot.dbSnapshotArn())).containsExactly(ExpectedEvents.instanceSnapshotCreated(instance,
                        instanceSnapshot.dbSnapshotIdentifier(), TestAws.dayOf(instanceSnapshot.dbSnapshotIdentifier()), null)
                .setAllocatedStorageGb(TestAws.INSTANCE_STORAGE_GB)
                .setDiscoveredBy(DiscoverySource.EVENT)
                .build());
    }

    @Test
    void deadLettersAndAnnouncesNothing_forASnapshotRdsDoesNotDescribe() {
        // A configured cluster's name and a well-formed event, but RDS has no such snapshot: forged, or gone.
        String cluster = PREFIX + "-forged";
        String snapshotId = "rds:" + cluster + "-2026-11-20-03-10";
        String body = RdsEvents.clusterSnapshotCreated(cluster, TAKEN_AT);

        TestAws.send(queues.url(), body);

        List<Message> deadLetters = await().atMost(PATIENCE).until(() -> TestAws.peek(queues.deadLetterUrl()).stream()
                .filter(message -> message.body().equals(body)).toList(), messages -> !messages.isEmpty());
        assertThat(deadLetters).singleElement().satisfies(message -> {
            assertThat(message.messageAttributes().get(SqsEventQueue.REJECT_CODE).stringValue()).isEqualTo("SNAPSHOT_NOT_FOUND");
            assertThat(message.messageAttributes().get(SqsEventQueue.REJECT_REASON).stringValue()).startsWith(
                    "RDS does not describe cluster snapshot " + snapshotId + " (" + ExpectedEvents.clusterSnapshotArn(snapshotId) + ")");
        });
        await().atMost(PATIENCE).until(() -> TestAws.messagesOn(queues.url()) == 0);
        assertThat(eventsFor(ExpectedEvents.clusterSnapshotArn(snapshotId))).isEmpty();
    }

    @Test
    void deadLettersAMalformedMessage_withTheReason_andDeletesIt() {
        String body = "{\"source\": \"aws.rds\", \"detail-type\": \"RDS DB Cluster Snapshot Event\", \"detail\": "
                + "{\"EventID\": \"RDS-EVENT-0169\", \"SourceIdentifier\": \"rds:" + PREFIX + "-orders-nightly\", "
                + "\"SourceArn\": \"arn:aws:rds:us-east-1:123456789012:cluster-snapshot:rds:" + PREFIX + "-orders-nightly\"}}";

        TestAws.send(queues.url(), body);

        // Peeking hides the messages for a second, so the await hands over what it saw.
        List<Message> deadLetters = await().atMost(PATIENCE).until(() -> TestAws.peek(queues.deadLetterUrl()).stream()
                .filter(message -> message.body().equals(body)).toList(), messages -> !messages.isEmpty());
        assertThat(deadLetters).singleElement().satisfies(message -> {
            assertThat(message.body()).isEqualTo(body);
            assertThat(message.messageAttributes().get(SqsEventQueue.REJECT_CODE).stringValue()).isEqualTo("UNRECOGNISED_IDENTIFIER");
            assertThat(message.messageAttributes().get(SqsEventQueue.REJECT_REASON).stringValue()).isEqualTo(
                    "SourceIdentifier 'rds:" + PREFIX + "-orders-nightly' is not an automated snapshot's rds:<source>-YYYY-MM-DD-HH-MM");
            assertThat(message.messageAttributes().get(SqsEventQueue.REJECTED_BY).stringValue()).isEqualTo("snapshot-listener");
        });
        await().atMost(PATIENCE).until(() -> TestAws.messagesOn(queues.url()) == 0);
        assertThat(listener.bean(MicrometerListenerMetrics.class).count("snaplake.listener.events.rejected", "reason", "unrecognised_identifier"))
                .isEqualTo(1);
    }

    @Test
    void acknowledgesButDoesNotAnnounce_aSnapshotOfAClusterThatIsNotConfigured() {
        String cluster = TestAws.unique("elsewhere");
        MicrometerListenerMetrics metrics = listener.bean(MicrometerListenerMetrics.class);
        double ignoredBefore = metrics.count("snaplake.listener.events.ignored", "reason", "source_not_configured");

        TestAws.send(queues.url(), RdsEvents.clusterSnapshotCreated(cluster, TAKEN_AT));

        await().atMost(PATIENCE).until(() ->
                metrics.count("snaplake.listener.events.ignored", "reason", "source_not_configured") == ignoredBefore + 1);
        await().atMost(PATIENCE).until(() -> TestAws.messagesOn(queues.url()) == 0);
        assertThat(eventsFor(ExpectedEvents.clusterSnapshotArn("rds:" + cluster + "-2026-11-20-03-10"))).isEmpty();
        assertThat(TestAws.peek(queues.deadLetterUrl()))
                .noneMatch(message -> message.body().contains(cluster));
    }
}
