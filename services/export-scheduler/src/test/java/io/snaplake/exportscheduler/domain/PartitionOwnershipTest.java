package io.snaplake.exportscheduler.domain;

import static io.snaplake.exportscheduler.domain.SchedulerTestKit.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snaplake.events.ExportCompleted;
import io.snaplake.events.ExportStarted;
import io.snaplake.events.ExportTaskState;
import io.snaplake.events.ExportTaskStatus;
import io.snaplake.events.SnapshotCreated;
import io.snaplake.exportscheduler.Snapshots;
import io.snaplake.exportscheduler.simulation.SimulatedRds;
import io.snaplake.exportscheduler.simulation.VirtualTime;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a replica does with the input partitions it is assigned: their states are read back before any of
 * their requests is handled, and a failed read is tried again until it succeeds. In virtual time against
 * {@link SimulatedRds}; the state store is {@link Recorders.Store}, told to fail its next reads as the state
 * topic does during a broker roll (the Kafka store itself is exercised by the binder-level tests).
 */
class PartitionOwnershipTest {

    private final SchedulerTestKit kit = new SchedulerTestKit();
    private final VirtualTime time = kit.time;
    private final SimulatedRds rds = kit.rds;
    private final Recorders.Events events = kit.events;
    private final Recorders.Store store = kit.store;

    @Test
    void aRedeliveredSnapshotCreated_neverOverwritesACompletedStateWithWaiting_whenTheStateCouldNotBeReadAtAssignment() {
        SnapshotCreated request = Snapshots.created("orders", T0);
        ExportScheduler first = scheduler();
        first.assigned(List.of(0));
        first.request(request, 0);
        time.runUntil(T0.plus(Duration.ofHours(1)));
        assertThat(store.onPartition(0)).extracting(ExportTaskState::getStatus).containsExactly(ExportTaskStatus.COMPLETED);
        ExportCompleted completed = events.of(ExportCompleted.class).get(0);

        // A rebalance hands partition 0 to another replica while the state topic does not answer; the
        // SnapshotCreated whose offset was not committed yet is delivered to it again.
        time.dropPendingLoopRun();
        store.failingRestores = 3;
        ExportScheduler next = scheduler();
        next.assigned(List.of(0));

        assertThatThrownBy(() -> next.request(request, 0)).isInstanceOf(StateNotRestoredException.class);
        assertThat(store.onPartition(0)).extracting(ExportTaskState::getStatus).containsExactly(ExportTaskStatus.COMPLETED);

        time.runUntil(T0.plus(Duration.ofHours(2)));
        next.request(request, 0);

        assertThat(store.onPartition(0)).extracting(ExportTaskState::getStatus).containsExactly(ExportTaskStatus.COMPLETED);
        assertThat(rds.startCalls()).isEqualTo(1);
        assertThat(events.of(ExportStarted.class)).hasSize(1);
        assertThat(events.of(ExportCompleted.class)).extracting(e -> e.getMetadata().getEventId())
                .containsExactly(completed.getMetadata().getEventId(), completed.getMetadata().getEventId());
    }

    @Test
    void retriesReadingBackAnAssignedPartition_withBackoff_untilItSucceeds_thenDrivesItsExports() {
        List<SnapshotCreated> requests = List.of(Snapshots.created("a", T0), Snapshots.created("b", T0.plusSeconds(60)));
        ExportScheduler first = scheduler();
        first.assigned(List.of(1));
        requests.forEach(request -> first.request(request, 1));
        time.runUntil(T0.plusSeconds(1));
        assertThat(rds.runs()).hasSize(2);
        first.release(List.of(1));
        time.dropPendingLoopRun();
        rds.end(rds.runs().get(0).request().exportTaskId(), ExportStatus.COMPLETE, null);

        store.failingRestores = 4;
        ExportScheduler next = scheduler();
        next.assigned(List.of(1));
        // Reads at once, then after 5 s, 10 s, 20 s (retry-initial-backoff doubling): the fifth read succeeds.
        time.runUntil(T0.plusSeconds(1 + 5 + 10 + 20 - 1));
        assertThat(next.snapshotOfStates()).isEmpty();
        time.runUntil(T0.plusSeconds(1 + 5 + 10 + 20 + 40 + 1));

        assertThat(next.snapshotOfStates().get(ExportTaskStatus.COMPLETED)).hasSize(1);
        assertThat(next.snapshotOfStates().get(ExportTaskStatus.IN_PROGRESS)).hasSize(1);
        time.runUntil(T0.plus(Duration.ofHours(1)));
        assertThat(next.snapshotOfStates().get(ExportTaskStatus.COMPLETED)).hasSize(2);
        assertThat(rds.startCalls()).isEqualTo(2);
    }

    @Test
    void lettingGoOfAPartitionWhileItsStateIsBeingReadBack_stopsTheRetries() {
        store.failingRestores = 1_000;
        ExportScheduler scheduler = scheduler();
        scheduler.assigned(List.of(2));
        time.runUntil(T0.plus(Duration.ofMinutes(10)));
        int failedReads = 1_000 - store.failingRestores;

        scheduler.release(List.of(2));
        time.runUntil(T0.plus(Duration.ofHours(1)));

        assertThat(1_000 - store.failingRestores).isEqualTo(failedReads);
    }

    /** A replica's scheduler: a crash or a rebalance replaces it, on the same state store. */
    private ExportScheduler scheduler() {
        return kit.scheduler(SchedulingPolicy.defaults(), SchedulerSettings.DEFAULT_STATE_RETENTION);
    }
}
