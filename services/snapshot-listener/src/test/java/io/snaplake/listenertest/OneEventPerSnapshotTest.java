package io.snaplake.listenertest;

import static io.snaplake.listenertest.SnapshotCreatedTopic.eventsFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.snaplake.events.DiscoverySource;
import io.snaplake.snapshotlistener.ExpectedEvents;
import io.snaplake.snapshotlistener.RdsEvents;
import io.snaplake.snapshotlistener.config.MicrometerListenerMetrics;
import io.snaplake.snapshotlistener.domain.EmitResult;
import io.snaplake.snapshotlistener.domain.ReconciliationSweep;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.rds.model.DBClusterSnapshot;

/**
 * One snapshot reaches the listener three ways (its event, the sweep, a manual request), twice over,
 * with the application restarted in between: the topic holds exactly one SnapshotCreated for it.
 */
class OneEventPerSnapshotTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Test
    void announcesASnapshotOnce_whetherByEventSweepOrRequest_alsoAcrossARestart() {
        String cluster = TestAws.unique("once");
        DBClusterSnapshot snapshot = TestAws.clusterWithAutomatedSnapshot(cluster);
        String arn = snapshot.dbClusterSnapshotArn();
        TestAws.Queues queues = TestAws.queues(TestAws.unique("rds-events"));
        ListenerProperties properties = ListenerProperties.reading(queues).clusters(cluster);
        String eventId;

        try (RunningListener listener = properties.start()) {
            TestAws.send(queues.url(), RdsEvents.clusterSnapshotCreated(snapshot.dbClusterSnapshotIdentifier()));
            await().atMost(PATIENCE).until(() -> !eventsFor(arn).isEmpty());
            eventId = eventsFor(arn).get(0).getMetadata().getEventId();

            assertThat(listener.bean(ReconciliationSweep.class).run())
                    .filteredOn(result -> result.snapshot().snapshotArn().equals(arn))
                    .singleElement()
                    .satisfies(result -> assertThat(result.outcome()).isEqualTo(EmitResult.Outcome.ALREADY_KNOWN));
            HttpResponse<String> byArn = listener.post("/snapshots", "{\"snapshotArn\": \"" + arn + "\"}");
            assertThat(byArn.statusCode()).isEqualTo(200);
            assertThat(byArn.body()).contains("\"outcome\":\"ALREADY_KNOWN\"", "\"eventId\":\"" + eventId + "\"");
        }

        try (RunningListener restarted = properties.sweeping().start()) {
            MicrometerListenerMetrics metrics = restarted.bean(MicrometerListenerMetrics.class);
            await().atMost(PATIENCE).until(() -> metrics.count("snaplake.listener.sweep.runs", "outcome", "success") >= 1);
            TestAws.send(queues.url(), RdsEvents.clusterSnapshotCreated(snapshot.dbClusterSnapshotIdentifier()));
            await().atMost(PATIENCE).until(() -> metrics.count("snaplake.listener.snapshots.already_known", "discovered_by", "event") == 1);
            HttpResponse<String> byCluster = restarted.post("/snapshots",
                    "{\"clusterId\": \"" + cluster + "\", \"snapshotId\": \"" + snapshot.dbClusterSnapshotIdentifier() + "\"}");
            assertThat(byCluster.statusCode()).isEqualTo(200);
            assertThat(byCluster.body()).contains("\"outcome\":\"ALREADY_KNOWN\"", "\"eventId\":\"" + eventId + "\"");
            assertThat(metrics.count("snaplake.listener.snapshots.already_known", "discovered_by", "sweep")).isEqualTo(1);
            assertThat(metrics.count("snaplake.listener.snapshots.emitted", "discovered_by", "sweep")).isZero();
        }

        assertThat(eventsFor(arn)).containsExactly(ExpectedEvents.clusterSnapshotCreated(cluster,
                        snapshot.dbClusterSnapshotIdentifier(), TestAws.dayOf(snapshot.dbClusterSnapshotIdentifier()), null)
                .setAllocatedStorageGb(TestAws.CLUSTER_STORAGE_GB)
                .setDiscoveredBy(DiscoverySource.EVENT)
                .build());
        assertThat(TestAws.messagesOn(queues.url())).isZero();
    }
}
