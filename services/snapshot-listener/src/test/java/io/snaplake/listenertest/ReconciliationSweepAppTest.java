package io.snaplake.listenertest;

import static io.snaplake.listenertest.SnapshotCreatedTopic.eventsFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.snaplake.events.DiscoverySource;
import io.snaplake.snapshotlistener.ExpectedEvents;
import io.snaplake.snapshotlistener.config.MicrometerListenerMetrics;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.rds.model.DBClusterSnapshot;
import software.amazon.awssdk.services.rds.model.DBSnapshot;

/**
 * The sweep against moto's RDS: moto emits no events, so every snapshot there is one whose event was
 * missed; the sweep at start-up announces those of the configured sources, with their allocated storage.
 */
class ReconciliationSweepAppTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Test
    void announcesAtStartUp_theAutomatedSnapshotsWhoseEventsWereMissed() {
        String cluster = TestAws.unique("swept");
        String instance = TestAws.unique("swept-db");
        String otherCluster = TestAws.unique("unlisted");
        DBClusterSnapshot clusterSnapshot = TestAws.clusterWithAutomatedSnapshot(cluster);
        DBSnapshot instanceSnapshot = TestAws.instanceWithAutomatedSnapshot(instance);
        DBClusterSnapshot otherSnapshot = TestAws.clusterWithAutomatedSnapshot(otherCluster);
        TestAws.Queues queues = TestAws.queues(TestAws.unique("rds-events"));

        try (RunningListener listener = ListenerProperties.reading(queues).clusters(cluster).instances(instance)
                .sweeping()
                .set("snaplake.listener.sweep.interval", "1h")
                .set("snaplake.listener.sweep.lookback", "2d")
                .start()) {

            MicrometerListenerMetrics metrics = listener.bean(MicrometerListenerMetrics.class);
            await().atMost(PATIENCE).until(() -> metrics.count("snaplake.listener.sweep.runs", "outcome", "success") >= 1);
        }

        String clusterArn = clusterSnapshot.dbClusterSnapshotArn();
        assertThat(eventsFor(clusterArn)).containsExactly(ExpectedEvents.clusterSnapshotCreated(cluster,
                        clusterSnapshot.dbClusterSnapshotIdentifier(), TestAws.dayOf(clusterSnapshot.dbClusterSnapshotIdentifier()),
                        clusterSnapshot.snapshotCreateTime().truncatedTo(ChronoUnit.MILLIS))
                .setAllocatedStorageGb(TestAws.CLUSTER_STORAGE_GB)
                .setDiscoveredBy(DiscoverySource.SWEEP)
                .build());
        assertThat(eventsFor(instanceSnapshot.dbSnapshotArn())).containsExactly(ExpectedEvents.instanceSnapshotCreated(instance,
                        instanceSnapshot.dbSnapshotIdentifier(), TestAws.dayOf(instanceSnapshot.dbSnapshotIdentifier()),
                        instanceSnapshot.snapshotCreateTime().truncatedTo(ChronoUnit.MILLIS))
                .setAllocatedStorageGb(TestAws.INSTANCE_STORAGE_GB)
                .setDiscoveredBy(DiscoverySource.SWEEP)
                .build());
        assertThat(eventsFor(otherSnapshot.dbClusterSnapshotArn())).isEmpty();
    }
}
