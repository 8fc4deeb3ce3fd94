package io.snaplake.exportscheduler.domain;

import static io.snaplake.exportscheduler.domain.SchedulerTestKit.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.snaplake.events.ExportCompleted;
import io.snaplake.events.ExportStarted;
import io.snaplake.events.ExportTaskStatus;
import io.snaplake.events.PipelineFailure;
import io.snaplake.events.SnapshotCreated;
import io.snaplake.exportscheduler.Snapshots;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * COMPLETED and FAILED states expire (a tombstone) after the state retention, so memory and read-back time
 * stay bounded; and after expiry a redelivered or replayed SnapshotCreated still never exports a snapshot a
 * second time unless forced.
 */
class StateExpiryTest {

    private static final Duration RETENTION = Duration.ofDays(2);

    private final SchedulerTestKit kit = new SchedulerTestKit();
    private ExportScheduler scheduler = kit.scheduler(SchedulingPolicy.defaults(), RETENTION);

    @Test
    void deletesCompletedAndFailedStates_afterTheRetention_andForgetsThem() {
        SnapshotCreated exported = Snapshots.created("orders", T0);
        SnapshotCreated refused = Snapshots.created("billing", T0);
        kit.rds.refuseNextStart(SchedulerTestKit.taskId(refused), new RdsExportException.Permanent("SNAPSHOT_NOT_FOUND",
                "DBClusterSnapshotNotFoundFault", "DBClusterSnapshot not found", null));
        scheduler.request(exported, 0);
        scheduler.request(refused, 0);
        kit.time.runUntil(T0.plus(Duration.ofHours(1)));
        assertThat(scheduler.snapshotOfStates().get(ExportTaskStatus.COMPLETED)).hasSize(1);
        assertThat(scheduler.snapshotOfStates().get(ExportTaskStatus.FAILED)).hasSize(1);

        kit.time.runUntil(T0.plus(RETENTION).minus(Duration.ofMinutes(1)));
        assertThat(kit.store.deleted).isEmpty();

        kit.time.runUntil(T0.plus(RETENTION).plus(Duration.ofHours(1)));
        assertThat(kit.store.deleted).containsExactlyInAnyOrder(ExportScheduler.stateKey(exported.getSnapshot()),
                ExportScheduler.stateKey(refused.getSnapshot()));
        assertThat(kit.store.latest).isEmpty();
        assertThat(scheduler.snapshotOfStates()).isEmpty();
        assertThat(kit.meters.get("snaplake.exports.state.expired").counter().count()).isEqualTo(2.0);
    }

    @Test
    void redeliveryOrReplayAfterExpiry_startsNoSecondExport_butAForcedReplayDoes() {
        SnapshotCreated original = Snapshots.created("orders", T0);
        scheduler.request(original, 0);
        kit.time.runUntil(T0.plus(RETENTION).plus(Duration.ofHours(1)));
        assertThat(kit.store.latest).isEmpty();
        int eventsBefore = kit.events.all.size();

        scheduler.request(original, 0);
        scheduler.request(Snapshots.replayOf(original, "replay-1", false), 0);
        kit.time.runUntil(T0.plus(RETENTION).plus(Duration.ofHours(3)));

        assertThat(kit.rds.runs()).hasSize(1);
        assertThat(kit.rds.startCalls()).isEqualTo(1);
        assertThat(kit.events.all).hasSize(eventsBefore);
        assertThat(kit.store.latest).isEmpty();

        scheduler.request(Snapshots.replayOf(original, "replay-2", true), 0);
        kit.time.runUntil(T0.plus(RETENTION).plus(Duration.ofHours(5)));

        // With no state left, the forced request is attempt 1 again; RDS still lists that task, so it is
        // adopted and announced again (RDS is the source of truth). After 40 days RDS has deleted the
        // snapshot itself, so a new export of it could not run anyway.
        assertThat(kit.events.of(ExportCompleted.class)).extracting(ExportCompleted::getExportTaskId)
                .containsExactly(ExportTaskIds.forSnapshot(original.getSnapshot(), 1), ExportTaskIds.forSnapshot(original.getSnapshot(), 1));
    }

    @Test
    void aSnapshotOlderThanTheRetention_withNoState_isExportedOnlyWhenForced() {
        SnapshotCreated old = Snapshots.created("orders", T0.minus(RETENTION).minus(Duration.ofHours(1)));

        scheduler.request(old, 0);
        kit.time.runUntil(T0.plus(Duration.ofHours(1)));
        assertThat(kit.rds.runs()).isEmpty();
        assertThat(kit.store.latest).isEmpty();

        scheduler.request(Snapshots.replayOf(old, "replay-1", true), 0);
        kit.time.runUntil(T0.plus(Duration.ofHours(2)));
        assertThat(kit.rds.runs()).extracting(run -> run.request().exportTaskId())
                .containsExactly(ExportTaskIds.forSnapshot(old.getSnapshot(), 1));
        assertThat(kit.events.of(ExportStarted.class)).hasSize(1);
        assertThat(kit.events.of(PipelineFailure.class)).isEmpty();
    }

    @Test
    void aTombstoneThatCannotBeWritten_isTriedAgain_untilItIs() {
        SnapshotCreated exported = Snapshots.created("orders", T0);
        scheduler.request(exported, 0);
        kit.time.runUntil(T0.plus(Duration.ofHours(1)));
        kit.store.failingDeletes = 3;

        kit.time.runUntil(T0.plus(RETENTION).plus(Duration.ofMinutes(40)));

        assertThat(kit.store.failingDeletes).isZero();
        assertThat(kit.store.deleted).containsExactly(ExportScheduler.stateKey(exported.getSnapshot()));
        assertThat(scheduler.snapshotOfStates()).isEmpty();
    }
}
