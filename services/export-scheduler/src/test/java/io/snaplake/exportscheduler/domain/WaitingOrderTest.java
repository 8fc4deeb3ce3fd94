package io.snaplake.exportscheduler.domain;

import static io.snaplake.exportscheduler.Snapshots.DAY;
import static org.assertj.core.api.Assertions.assertThat;

import io.snaplake.events.ExportTaskState;
import io.snaplake.events.ExportTaskStatus;
import io.snaplake.events.SnapshotCreated;
import io.snaplake.exportscheduler.Snapshots;
import io.snaplake.exportscheduler.domain.SchedulingPolicy.ClusterPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The rules that order waiting snapshots, and the prediction of an export's duration (pure functions). */
class WaitingOrderTest {

    private static final Instant NOW = DAY.plus(Duration.ofHours(6));
    private static final ExportSettings SETTINGS = new ExportSettings("lake-exports", "exports",
            "arn:aws:kms:us-east-1:123456789012:key/export", "arn:aws:iam::123456789012:role/rds-export", List.of());
    private static final int SLOTS = 5;

    private final ExportDurations durations = new ExportDurations();
    private SchedulingPolicy policy = SchedulingPolicy.defaults().withClusters(Map.of(
            "reporting", new ClusterPolicy(10, null),
            "archive", new ClusterPolicy(null, Duration.ofDays(35)),
            "short-lived", new ClusterPolicy(null, Duration.ofDays(1))));

    @Test
    void aHigherPriorityClusterGoesFirst_thoughItsSnapshotIsNewerAndLonger() {
        history("archive", 10);
        history("reporting", 90);
        List<TrackedExport> waiting = List.of(
                waiting("archive", NOW.minus(Duration.ofMinutes(50))),
                waiting("reporting", NOW.minus(Duration.ofMinutes(10))));

        assertThat(clustersInOrder(waiting)).containsExactly("reporting", "archive");
    }

    @Test
    void withinAPriority_theShortestPredictedExportGoesFirst() {
        history("large", 120, 100, 110);
        history("small", 5, 7, 6);
        history("medium", 30);
        List<TrackedExport> waiting = List.of(
                waiting("large", NOW.minus(Duration.ofMinutes(30))),
                waiting("medium", NOW.minus(Duration.ofMinutes(20))),
                waiting("small", NOW.minus(Duration.ofMinutes(10))));

        assertThat(clustersInOrder(waiting)).containsExactly("small", "medium", "large");
    }

    @Test
    void predictsFromTheMedianOfPreviousExports_thenFromTheSnapshotSize_thenNotAtAll() {
        history("known", 10, 200, 12);
        TrackedExport known = waiting("known", NOW);
        TrackedExport sized = waiting("new-sized", NOW, 50);
        TrackedExport unknown = waiting("new-unknown", NOW);

        assertThat(WaitingOrder.predict(known.state, policy, durations)).contains(Duration.ofMinutes(12));
        // 50 GB at the assumed 100 GB/h.
        assertThat(WaitingOrder.predict(sized.state, policy, durations)).contains(Duration.ofMinutes(30));
        assertThat(WaitingOrder.predict(unknown.state, policy, durations)).isEmpty();
    }

    @Test
    void aSnapshotWithAPrediction_goesBeforeOneWithout_thenFirstComeFirstServed() {
        history("known", 40);
        List<TrackedExport> waiting = List.of(
                waiting("unknown-older", NOW.minus(Duration.ofMinutes(50))),
                waiting("unknown-newer", NOW.minus(Duration.ofMinutes(40))),
                waiting("known", NOW.minus(Duration.ofMinutes(10))),
                waiting("sized", NOW.minus(Duration.ofMinutes(5)), 200));

        assertThat(clustersInOrder(waiting)).containsExactly("known", "sized", "unknown-older", "unknown-newer");
    }

    @Test
    void aSnapshotPassedOverRisesWithItsWait_untilItGoesBeforeNewerHigherPriorityOnes() {
        history("archive", 60);
        history("reporting", 10);
        // reporting has priority 10: an archive snapshot, rising a level per 6 h of waiting, overtakes it at 11 levels.
        TrackedExport starving = waiting("archive", NOW.minus(Duration.ofHours(60)));
        TrackedExport fresh = waiting("reporting", NOW.minus(Duration.ofMinutes(1)));
        assertThat(clustersInOrder(List.of(starving, fresh))).containsExactly("reporting", "archive");

        TrackedExport starvingLonger = waiting("archive", NOW.minus(Duration.ofHours(66)));
        assertThat(clustersInOrder(List.of(starvingLonger, fresh))).containsExactly("archive", "reporting");
    }

    @Test
    void aSnapshotCloseToExpiring_goesBeforeEveryOther() {
        history("reporting", 5);
        history("short-lived", 300);
        // short-lived keeps snapshots 1 day: one taken 19 h ago expires in 5 h, within the 6 h of urgency.
        List<TrackedExport> waiting = List.of(
                waiting("reporting", NOW.minus(Duration.ofMinutes(5))),
                waiting("short-lived", NOW.minus(Duration.ofHours(19))));

        assertThat(clustersInOrder(waiting)).containsExactly("short-lived", "reporting");
    }

    @Test
    void anExportLongerThanTheWholeBacklogPerSlot_startsFirst_soThatTheDayDoesNotEndLate() {
        history("a", 10);
        history("b", 12);
        history("c", 15);
        history("huge", 300);
        List<TrackedExport> waiting = List.of(
                waiting("a", NOW.minus(Duration.ofMinutes(3))),
                waiting("b", NOW.minus(Duration.ofMinutes(2))),
                waiting("c", NOW.minus(Duration.ofMinutes(1))),
                waiting("huge", NOW));

        // Not the tail: 30 snapshots wait for 5 slots. huge (300 min) is over 0.7 of the backlog per slot.
        List<TrackedExport> queue = new ArrayList<>(waiting);
        for (int i = 0; i < 26; i++) {
            history("filler-" + i, 20);
            queue.add(waiting("filler-" + i, NOW.minus(Duration.ofMinutes(4 + i))));
        }
        assertThat(clustersInOrder(queue, WaitingOrder.MakespanGuard.DEFAULT)).startsWith("huge", "a", "b", "c");
    }

    @Test
    void inTheDaysTail_theLongestPredictedExportGoesFirst() {
        history("a", 10);
        history("b", 40);
        history("c", 25);
        List<TrackedExport> waiting = List.of(
                waiting("a", NOW.minus(Duration.ofMinutes(3))),
                waiting("b", NOW.minus(Duration.ofMinutes(2))),
                waiting("c", NOW.minus(Duration.ofMinutes(1))),
                waiting("unknown", NOW.minus(Duration.ofMinutes(9))));

        assertThat(clustersInOrder(waiting, WaitingOrder.MakespanGuard.DEFAULT)).containsExactly("b", "c", "a", "unknown");
    }

    @Test
    void whileSnapshotsKeepArriving_theFirstOnesOfABurstAreNotTheDaysTail_soTheShortestGoesFirst() {
        history("a", 10);
        history("b", 40);
        history("c", 25);
        List<TrackedExport> waiting = List.of(
                waiting("a", NOW.minus(Duration.ofMinutes(3))),
                waiting("b", NOW.minus(Duration.ofMinutes(2))),
                waiting("c", NOW.minus(Duration.ofMinutes(1))),
                waiting("unknown", NOW.minus(Duration.ofMinutes(9))));

        // The same four as in the day's tail above, but 60 snapshots arrived in the last hour: while the 100
        // minutes of known work drain from 5 slots (20 min), 20 more are expected; 24 is more than 4 per slot.
        WaitingOrder.MakespanGuard noFillers = new WaitingOrder.MakespanGuard(0.7, 4, 0, Duration.ofMinutes(25));
        assertThat(clustersInOrder(waiting, 60, noFillers)).containsExactly("a", "c", "b", "unknown");
        // Once the burst is over, the same four are the day's tail again: longest first.
        assertThat(clustersInOrder(waiting, 0, noFillers)).containsExactly("b", "c", "a", "unknown");
    }

    @Test
    void expectsSnapshotsAtTheRecentRate_whileTheKnownWorkDrains_andNoneOnceTheyStop() {
        history("known", 30);
        List<WaitingOrder.Candidate> waiting = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            waiting.add(WaitingOrder.candidate(waiting("known", NOW.minus(Duration.ofMinutes(i))), policy, durations));
        }

        // 10 x 30 min waiting and 200 min in progress drain from 5 slots in 100 min; at 30 an hour, 50 more come meanwhile.
        assertThat(WaitingOrder.expected(waiting, SLOTS, Duration.ofMinutes(200), 30))
                .isEqualTo(new WaitingOrder.Expected(50, Duration.ofMinutes(50 * 30)));
        assertThat(WaitingOrder.expected(waiting, SLOTS, Duration.ofMinutes(200), 0)).isEqualTo(WaitingOrder.Expected.NONE);
    }

    @Test
    void aPredictionFromSizeAlone_weighsHalfAgainAsLongForRule2_thanTheSameFromHistory() {
        WaitingOrder.MakespanGuard guard = new WaitingOrder.MakespanGuard(0.7, 4, 0, Duration.ofMinutes(25));
        history("known", 60);
        List<TrackedExport> waiting = new ArrayList<>(List.of(
                waiting("known", NOW.minus(Duration.ofMinutes(2))),
                // 100 GB at the assumed 100 GB/h: 60 min, as long as known's median.
                waiting("sized", NOW.minus(Duration.ofMinutes(1)), 100)));
        for (int i = 0; i < 22; i++) {
            history("short-" + i, 20);
            waiting.add(waiting("short-" + i, NOW.minus(Duration.ofMinutes(3 + i))));
        }

        // 560 min over 5 slots: 112 min per slot, critical from 78.4 min. sized counts 90 min, known 60.
        List<String> order = clustersInOrder(waiting, guard);
        assertThat(order.get(0)).isEqualTo("sized");
        assertThat(order.get(order.size() - 1)).isEqualTo("known");
    }

    @Test
    void beforeTheTail_theShortestExportsOfOrdinaryLength_areHeldBackToEndTheDay() {
        WaitingOrder.MakespanGuard guard = new WaitingOrder.MakespanGuard(Double.POSITIVE_INFINITY, 1, 2, Duration.ofMinutes(25));
        history("tiny", 5);
        history("short", 20);
        history("ordinary-a", 30);
        history("ordinary-b", 26);
        history("long", 90);
        history("longer", 120);
        List<TrackedExport> waiting = List.of(
                waiting("longer", NOW.minus(Duration.ofMinutes(6))),
                waiting("long", NOW.minus(Duration.ofMinutes(5))),
                waiting("ordinary-a", NOW.minus(Duration.ofMinutes(4))),
                waiting("ordinary-b", NOW.minus(Duration.ofMinutes(3))),
                waiting("short", NOW.minus(Duration.ofMinutes(2))),
                waiting("tiny", NOW.minus(Duration.ofMinutes(1))));

        // Six wait for five slots with one per slot in the tail: not yet the tail. The two shortest exports of
        // at least 25 minutes go after the longer ones, shortest first among themselves.
        assertThat(clustersInOrder(waiting, guard)).containsExactly("tiny", "short", "long", "longer", "ordinary-b", "ordinary-a");
    }

    @Test
    void inTheTail_theHeldBackExportsAreReleased_andEndTheDay_longestFirst() {
        WaitingOrder.MakespanGuard guard = new WaitingOrder.MakespanGuard(Double.POSITIVE_INFINITY, 2, 2, Duration.ofMinutes(25));
        history("ordinary", 30);
        history("long", 90);
        history("short", 20);
        List<TrackedExport> waiting = List.of(
                waiting("ordinary", NOW.minus(Duration.ofMinutes(3))),
                waiting("short", NOW.minus(Duration.ofMinutes(2))),
                waiting("long", NOW.minus(Duration.ofMinutes(1))));

        assertThat(clustersInOrder(waiting, guard)).containsExactly("long", "ordinary", "short");
    }

    @Test
    void heldBack_areOnlyTheLowestPrioritysExports_thatHaveWaitedLessThanFourAgingSteps() {
        WaitingOrder.MakespanGuard guard = new WaitingOrder.MakespanGuard(Double.POSITIVE_INFINITY, 0, 5, Duration.ofMinutes(25));
        history("reporting", 30);
        history("ordinary", 40);
        history("archive", 35);
        history("long", 90);
        history("tiny", 5);
        // reporting has priority 10; archive (kept 35 days, not urgent) has waited 24 h, four aging steps of
        // 6 h (its level: 4). Held back, either would go after tiny, which is too short to be held back.
        List<TrackedExport> waiting = List.of(
                waiting("long", NOW.minus(Duration.ofMinutes(1))),
                waiting("ordinary", NOW.minus(Duration.ofMinutes(2))),
                waiting("reporting", NOW.minus(Duration.ofMinutes(3))),
                waiting("tiny", NOW.minus(Duration.ofMinutes(4))),
                waiting("archive", NOW.minus(Duration.ofHours(24))));

        assertThat(clustersInOrder(waiting, guard)).containsExactly("reporting", "archive", "tiny", "ordinary", "long");
    }

    @Test
    void snapshotTimeOrder_isFirstComeFirstServed_whateverThePriorityOrPrediction() {
        policy = SchedulingPolicy.snapshotTimeOrder().withClusters(policy.clusters());
        history("large", 120);
        history("reporting", 5);
        List<TrackedExport> waiting = List.of(
                waiting("reporting", NOW.minus(Duration.ofMinutes(10))),
                waiting("large", NOW.minus(Duration.ofMinutes(30))));

        assertThat(clustersInOrder(waiting)).containsExactly("large", "reporting");
    }

    @Test
    void keepsTheTenNewestDurations_andTheNewestKnowledgeWins() {
        ExportTaskState older = completed("orders", DAY, Duration.ofMinutes(100), List.of());
        List<Long> twelve = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            twelve.add(Duration.ofMinutes(i).toMillis());
        }
        ExportTaskState newer = completed("orders", DAY.plus(Duration.ofDays(1)), Duration.ofMinutes(13), twelve);

        durations.absorb(newer);
        durations.absorb(older);

        assertThat(durations.of(newer.getSnapshot())).isEqualTo(
                List.of(4, 5, 6, 7, 8, 9, 10, 11, 12, 13).stream().map(m -> Duration.ofMinutes(m).toMillis()).toList());
    }

    /** Rules 1 and 3-5: the makespan guard (rule 2) is off. */
    private List<String> clustersInOrder(List<TrackedExport> waiting) {
        return clustersInOrder(waiting, WaitingOrder.MakespanGuard.OFF);
    }

    private List<String> clustersInOrder(List<TrackedExport> waiting, WaitingOrder.MakespanGuard guard) {
        return clustersInOrder(waiting, 0, guard);
    }

    /** @param arrivedRecently snapshots that arrived within the last hour */
    private List<String> clustersInOrder(List<TrackedExport> waiting, int arrivedRecently, WaitingOrder.MakespanGuard guard) {
        return WaitingOrder.order(waiting.stream().map(export -> WaitingOrder.candidate(export, policy, durations)).toList(),
                NOW, policy, SLOTS, Duration.ZERO, arrivedRecently, guard).stream()
                .map(candidate -> candidate.state().getSnapshot().getClusterId()).toList();
    }

    /** Records that the cluster's previous exports took these many minutes. */
    private void history(String cluster, long... minutes) {
        durations.absorb(completed(cluster, DAY.minus(Duration.ofDays(1)), Duration.ofMinutes(minutes[minutes.length - 1]),
                Arrays.stream(minutes, 0, minutes.length - 1).mapToObj(m -> Duration.ofMinutes(m).toMillis()).toList()));
    }

    private static ExportTaskState completed(String cluster, Instant taken, Duration took, List<Long> before) {
        ExportTaskState waiting = ExportStateMachine.newAttempt(Snapshots.created(cluster, taken), 1, Optional.of(SETTINGS), before, taken);
        ExportTaskState started = ExportStateMachine.started(waiting, taken);
        ExportTaskState done = ExportStateMachine.completed(started, new ExportTask(
                waiting.getExportTaskId(), "arn", ExportStatus.COMPLETE, 100, 1L, null, null,
                taken, taken.plus(took)), before, taken.plus(took));
        assertThat(done.getStatus()).isEqualTo(ExportTaskStatus.COMPLETED);
        return done;
    }

    private static TrackedExport waiting(String cluster, Instant taken) {
        return waiting(cluster, taken, null);
    }

    private static TrackedExport waiting(String cluster, Instant taken, Integer sizeGb) {
        SnapshotCreated created = Snapshots.created(cluster, taken);
        created.setAllocatedStorageGb(sizeGb);
        ExportTaskState state = ExportStateMachine.newAttempt(created, 1, Optional.of(SETTINGS), List.of(), taken);
        return new TrackedExport(state, 0, taken, Duration.ofSeconds(30));
    }
}
