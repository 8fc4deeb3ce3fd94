package io.snaplake.exportscheduler.domain;

import static io.snaplake.exportscheduler.domain.SchedulerTestKit.POLL;
import static io.snaplake.exportscheduler.domain.SchedulerTestKit.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.snaplake.events.ExportStarted;
import io.snaplake.events.PipelineFailure;
import io.snaplake.events.SnapshotCreated;
import io.snaplake.exportscheduler.ExpectedEvents;
import io.snaplake.exportscheduler.Snapshots;
import io.snaplake.exportscheduler.domain.SchedulingPolicy.ClusterPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The scheduler gives slots in the {@link WaitingOrder}, learns durations, and warns of snapshots that would expire. */
class PrioritySchedulingTest {

    private final SchedulerTestKit kit = new SchedulerTestKit();

    @Test
    void aHighPriorityClustersSnapshot_getsTheNextSlot_beforeOlderOnes() {
        SchedulingPolicy policy = SchedulingPolicy.defaults().withClusters(Map.of("reporting", new ClusterPolicy(10, null)));
        ExportScheduler scheduler = kit.scheduler(policy, Duration.ofDays(40));
        IntStream.range(0, 5).forEach(i -> kit.rds.startedElsewhere("someone-else-" + i, Duration.ofMinutes(10)));
        scheduler.request(Snapshots.created("archive", T0.minus(Duration.ofMinutes(30))), 0);
        scheduler.request(Snapshots.created("reporting", T0.minus(Duration.ofMinutes(5))), 0);

        kit.time.runUntil(T0.plus(Duration.ofMinutes(15)));

        assertThat(kit.events.of(ExportStarted.class)).extracting(started -> started.getSnapshot().getClusterId())
                .containsExactly("reporting", "archive");
    }

    @Test
    void predictedDurations_learntFromPreviousExports_surviveStateExpiryAndARestart() {
        Duration retention = Duration.ofDays(1).plusHours(12);
        ExportScheduler scheduler = kit.scheduler(SchedulingPolicy.defaults(), retention);
        // Two days of exports: "large" takes 3 h, "small" 10 min.
        for (int day = 0; day < 2; day++) {
            Instant taken = T0.plus(Duration.ofDays(day));
            SnapshotCreated large = kit.lasting(Snapshots.created("large", taken), Duration.ofHours(3));
            SnapshotCreated small = kit.lasting(Snapshots.created("small", taken.plusSeconds(60)), Duration.ofMinutes(10));
            kit.time.at(large.getSnapshot().getSnapshotCreatedAt(), () -> kit.scheduler_request(large));
            kit.time.at(small.getSnapshot().getSnapshotCreatedAt(), () -> kit.scheduler_request(small));
        }
        kit.current = scheduler;
        kit.time.runUntil(T0.plus(Duration.ofDays(2)).plus(Duration.ofHours(12)));
        // The first day's states have expired; the second day's carry the durations of the first.
        assertThat(kit.store.deleted).hasSize(2);

        ExportScheduler restarted = kit.scheduler(SchedulingPolicy.defaults(), retention);
        kit.current = restarted;
        restarted.adopt(0, kit.store.onPartition(0));
        Instant day3 = T0.plus(Duration.ofDays(3));
        kit.time.runUntil(day3);
        IntStream.range(0, 5).forEach(i -> kit.rds.startedElsewhere("someone-else-" + i, Duration.ofMinutes(10)));
        int startedBefore = kit.events.of(ExportStarted.class).size();
        // Two snapshots wait (the day's tail: longest predicted first); first come first served would start small.
        restarted.request(kit.lasting(Snapshots.created("small", day3.minus(Duration.ofMinutes(20))), Duration.ofMinutes(10)), 0);
        restarted.request(kit.lasting(Snapshots.created("large", day3.minus(Duration.ofMinutes(5))), Duration.ofHours(3)), 0);
        kit.time.runUntil(day3.plus(Duration.ofMinutes(11)));

        List<String> day3Order = kit.events.of(ExportStarted.class).stream().skip(startedBefore)
                .map(started -> started.getSnapshot().getClusterId()).toList();
        assertThat(day3Order).containsExactly("large", "small");
    }

    @Test
    void reportsASnapshotThatWouldExpireBeforeASlotFrees_onceWithItsExpiryAndPredictedSlot() {
        SchedulingPolicy policy = SchedulingPolicy.defaults().withClusters(Map.of("short-lived", new ClusterPolicy(null, Duration.ofHours(1))));
        ExportScheduler scheduler = kit.scheduler(policy, Duration.ofDays(40));
        // Five 200 GB snapshots, predicted from their size at 100 GB/h: each export 2 h, all slots taken.
        for (int i = 0; i < 5; i++) {
            SnapshotCreated big = kit.lasting(Snapshots.created("big-" + i, T0.minus(Duration.ofMinutes(10 - i))), Duration.ofHours(2));
            big.setAllocatedStorageGb(200);
            scheduler.request(big, 0);
        }
        kit.time.runUntil(T0.plusSeconds(1));
        SnapshotCreated shortLived = Snapshots.created("short-lived", T0);
        scheduler.request(shortLived, 0);

        kit.time.runUntil(T0.plus(Duration.ofMinutes(30)));

        Instant expiresAt = T0.plus(Duration.ofHours(1));
        Instant slotAt = T0.plus(Duration.ofHours(2));
        assertThat(kit.events.of(PipelineFailure.class))
                .containsExactly(ExpectedEvents.expiryWarning(shortLived, T0.plusSeconds(1), expiresAt, slotAt));
        assertThat(kit.meters.get("snaplake.exports.expiry.at.risk").counter().count()).isEqualTo(1.0);
        // It still waits, and goes first when a slot frees (it is urgent).
        kit.time.runUntil(T0.plus(Duration.ofHours(2)).plus(POLL).plus(POLL));
        assertThat(kit.runOf(shortLived).startedAt()).isBetween(T0.plus(Duration.ofHours(2)), T0.plus(Duration.ofHours(2)).plus(POLL));
    }
}
