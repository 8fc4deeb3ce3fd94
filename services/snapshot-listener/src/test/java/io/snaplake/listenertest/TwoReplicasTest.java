package io.snaplake.listenertest;

import static io.snaplake.listenertest.SnapshotCreatedTopic.eventsFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.snaplake.snapshotlistener.RdsEvents;
import io.snaplake.snapshotlistener.config.MicrometerListenerMetrics;
import io.snaplake.snapshotlistener.domain.ReconciliationSweep;
import io.snaplake.snapshotlistener.domain.SnapshotNotAnnouncedException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.rds.model.DBClusterSnapshot;

/**
 * Two listener replicas at once, on the real broker and moto's SQS and RDS: both receive the queue's
 * events for the same snapshots and both sweep at the same moment, so each snapshot reaches both replicas
 * before either has read the other's event. The topic still holds one SnapshotCreated per snapshot.
 */
class TwoReplicasTest {

    private static final Duration PATIENCE = Duration.ofSeconds(120);

    @Test
    void twoReplicasRacingOnTheSameSnapshots_writeOneSnapshotCreatedPerSnapshot() throws Exception {
        List<String> clusters = IntStream.range(0, 6).mapToObj(i -> TestAws.unique("pair" + i)).toList();
        List<DBClusterSnapshot> snapshots = clusters.stream().map(TestAws::clusterWithAutomatedSnapshot).toList();
        TestAws.Queues queues = TestAws.queues(TestAws.unique("rds-events"));
        ListenerProperties properties = ListenerProperties.reading(queues).clusters(String.join(",", clusters));

        try (RunningListener first = properties.start();
                RunningListener second = properties.start()) {
            CyclicBarrier together = new CyclicBarrier(2);
            CompletableFuture<?> sweepOfFirst = CompletableFuture.runAsync(() -> sweepAfter(together, first));
            CompletableFuture<?> sweepOfSecond = CompletableFuture.runAsync(() -> sweepAfter(together, second));
            snapshots.forEach(snapshot -> TestAws.send(queues.url(),
                    RdsEvents.clusterSnapshotCreated(snapshot.dbClusterSnapshotIdentifier())));
            CompletableFuture.allOf(sweepOfFirst, sweepOfSecond).exceptionally(raceLost -> null).get();
            // The replica that lost a race on a partition was fenced and its sweep stopped there; the next
            // sweep (here: at once rather than an interval later) finds what is left, on each replica.
            await().atMost(PATIENCE).ignoreExceptions().until(() -> {
                first.bean(ReconciliationSweep.class).run();
                second.bean(ReconciliationSweep.class).run();
                return true;
            });

            await().atMost(PATIENCE).until(() -> TestAws.messagesOn(queues.url()) == 0);
            MicrometerListenerMetrics metricsOfFirst = first.bean(MicrometerListenerMetrics.class);
            MicrometerListenerMetrics metricsOfSecond = second.bean(MicrometerListenerMetrics.class);
            assertThat(metricsOfFirst.count("snaplake.listener.snapshots.emitted", "discovered_by", "sweep")
                    + metricsOfSecond.count("snaplake.listener.snapshots.emitted", "discovered_by", "sweep")
                    + metricsOfFirst.count("snaplake.listener.snapshots.emitted", "discovered_by", "event")
                    + metricsOfSecond.count("snaplake.listener.snapshots.emitted", "discovered_by", "event"))
                    .isEqualTo(snapshots.size());
        }

        for (DBClusterSnapshot snapshot : snapshots) {
            assertThat(eventsFor(snapshot.dbClusterSnapshotArn())).as(snapshot.dbClusterSnapshotIdentifier()).hasSize(1);
        }
        assertThat(TestAws.messagesOn(queues.deadLetterUrl())).isZero();
    }

    private static void sweepAfter(CyclicBarrier together, RunningListener replica) {
        try {
            together.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        try {
            replica.bean(ReconciliationSweep.class).run();
        } catch (SnapshotNotAnnouncedException fencedByTheOtherReplica) {
            // Expected for the loser of a race: its write was refused, nothing was written twice.
        }
    }
}
