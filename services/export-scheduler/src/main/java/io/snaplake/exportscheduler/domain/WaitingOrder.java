package io.snaplake.exportscheduler.domain;

import io.snaplake.events.ExportTaskState;
import io.snaplake.events.SnapshotRef;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The order in which waiting snapshots get export slots, as a pure function of what is waiting and the time
 * (no I/O, no lock). With {@link SchedulingPolicy.Order#PRIORITY}: urgent (close to expiry) first, then
 * critical (long enough to end the day late if started last), then by level (priority raised by waiting),
 * shortest predicted export first, first come first served; a few ordinary exports are held back to end the
 * day. docs/design/export-scheduler.md states the rules and why; {@link SchedulingPolicy.Order#SNAPSHOT_TIME}
 * is first come, first served alone.
 */
final class WaitingOrder {

    private WaitingOrder() {
    }

    /**
     * A waiting export with what its place depends on.
     *
     * @param sizeOnly the prediction comes from the snapshot's size alone: the cluster has no recorded export
     */
    record Candidate(TrackedExport export, int priority, Instant snapshotTime, Instant expiresAt, Optional<Duration> predicted,
            boolean sizeOnly) {

        ExportTaskState state() {
            return export.state;
        }

        /** The prediction as rule 2 and the tail weigh it: a guess from size alone counts longer. */
        Optional<Duration> cautious() {
            return sizeOnly ? predicted.map(d -> Duration.ofMillis((long) (d.toMillis() * SIZE_ONLY_CAUTION))) : predicted;
        }
    }

    /**
     * How much longer than its prediction from size alone an export is taken to be by rule 2: the assumed
     * throughput may be far from this cluster's, while a wrong guess the other way only starts an export a
     * little early.
     */
    static final double SIZE_ONLY_CAUTION = 1.5;

    /** Snapshots are expected to keep arriving at the rate seen over this window (docs/design/export-scheduler.md). */
    static final Duration ARRIVALS_WINDOW = Duration.ofHours(1);

    static Candidate candidate(TrackedExport export, SchedulingPolicy policy, ExportDurations durations) {
        ExportTaskState state = export.state;
        SnapshotRef snapshot = state.getSnapshot();
        Instant taken = snapshotTime(snapshot);
        Optional<Duration> fromHistory = durations.predict(snapshot);
        Optional<Duration> predicted = fromHistory.or(() -> fromSize(state, policy));
        return new Candidate(export, policy.priorityOf(snapshot.getClusterId()), taken,
                taken.plus(policy.snapshotRetentionOf(snapshot.getClusterId())), predicted,
                fromHistory.isEmpty() && predicted.isPresent());
    }

    static Optional<Duration> predict(ExportTaskState state, SchedulingPolicy policy, ExportDurations durations) {
        return durations.predict(state.getSnapshot()).or(() -> fromSize(state, policy));
    }

    /** The snapshot's size at the assumed throughput, when the state carries a size. */
    private static Optional<Duration> fromSize(ExportTaskState state, SchedulingPolicy policy) {
        Integer sizeGb = state.getAllocatedStorageGb();
        if (sizeGb != null && sizeGb > 0) {
            return Optional.of(Duration.ofMillis((long) (sizeGb / policy.assumedGbPerHour() * 3_600_000)));
        }
        return Optional.empty();
    }

    /**
     * The candidates in the order they should get a slot.
     *
     * @param runningRemaining the predicted remaining time of the exports in progress, summed: with the
     *                         waiting ones' predictions (a snapshot without one counts as their mean), the
     *                         work before the slots are all free again
     */
    static List<Candidate> order(List<Candidate> waiting, Instant now, SchedulingPolicy policy, int slots, Duration runningRemaining) {
        return order(waiting, now, policy, slots, runningRemaining, 0, MakespanGuard.DEFAULT);
    }

    /**
     * @param arrivedRecently snapshots that arrived (were requested) within the last {@link #ARRIVALS_WINDOW},
     *                        waiting, running or done: the rate at which more are expected
     */
    static List<Candidate> order(List<Candidate> waiting, Instant now, SchedulingPolicy policy, int slots, Duration runningRemaining,
            int arrivedRecently) {
        return order(waiting, now, policy, slots, runningRemaining, arrivedRecently, MakespanGuard.DEFAULT);
    }

    /**
     * Rule 2's thresholds and the fillers of rule 6 (docs/design/export-scheduler.md): critical from
     * {@code criticalShare} of the backlog per slot, or with any prediction in the day's tail (at most
     * {@code tailPerSlot} snapshots waiting per slot); before the tail, the {@code fillers} shortest exports
     * predicted to take at least {@code fillerAtLeast} end the day. {@link #OFF} leaves rules 3-5 alone (tests).
     */
    record MakespanGuard(double criticalShare, int tailPerSlot, int fillers, Duration fillerAtLeast) {
        static final MakespanGuard DEFAULT = new MakespanGuard(0.7, 5, 8, Duration.ofMinutes(25));
        static final MakespanGuard OFF = new MakespanGuard(Double.POSITIVE_INFINITY, 0, 0, Duration.ZERO);
    }

    /** A filler is held back at most this many aging steps: rule 6 must not starve a snapshot either. */
    static final int FILLER_AT_MOST_STEPS = 4;

    static List<Candidate> order(List<Candidate> waiting, Instant now, SchedulingPolicy policy, int slots, Duration runningRemaining,
            MakespanGuard guard) {
        return order(waiting, now, policy, slots, runningRemaining, 0, guard);
    }

    static List<Candidate> order(List<Candidate> waiting, Instant now, SchedulingPolicy policy, int slots, Duration runningRemaining,
            int arrivedRecently, MakespanGuard guard) {
        if (policy.order() == SchedulingPolicy.Order.SNAPSHOT_TIME) {
            return waiting.stream().sorted(FIRST_COME).toList();
        }
        Expected expected = expected(waiting, slots, runningRemaining, arrivedRecently);
        boolean tail = waiting.size() + expected.count() <= guard.tailPerSlot() * slots;
        Duration backlog = backlogPerSlot(waiting, slots, runningRemaining.plus(expected.work()));
        Duration criticalFrom = tail ? Duration.ZERO
                : Double.isInfinite(guard.criticalShare()) ? null
                : Duration.ofMillis((long) (guard.criticalShare() * backlog.toMillis()));
        // Each candidate's rank and level computed once, not in every comparison: a pass sorts every waiting snapshot.
        List<Placed> placed = waiting.stream()
                .map(c -> new Placed(c, rank(c, now, policy, criticalFrom), level(c, now, policy)))
                .toList();
        if (!tail && guard.fillers() > 0) {
            placed = holdBackFillers(placed, now, policy, guard);
        }
        return placed.stream()
                .sorted(PLACE)
                .map(Placed::candidate)
                .toList();
    }

    /**
     * Rule 6. Shortest first leaves the longest exports for the end of the day, and the tail's longest-first
     * order then ends with a long export whose overrun of its median ends the day late; a few exports of
     * ordinary length, kept back, end the day instead and absorb the overrun. Fillers come from the
     * clusters of the lowest priority waiting, and only snapshots that have waited less than
     * {@link #FILLER_AT_MOST_STEPS} aging steps.
     */
    private static List<Placed> holdBackFillers(List<Placed> placed, Instant now, SchedulingPolicy policy, MakespanGuard guard) {
        int lowestPriority = placed.stream().mapToInt(p -> p.candidate().priority()).min().orElse(0);
        Instant heldSince = now.minus(policy.agingStep().multipliedBy(FILLER_AT_MOST_STEPS));
        Set<Placed> fillers = placed.stream()
                .filter(p -> p.rank() == REST && p.candidate().priority() == lowestPriority
                        && p.candidate().snapshotTime().isAfter(heldSince)
                        && p.predicted().isPresent() && p.predicted().get().compareTo(guard.fillerAtLeast()) >= 0)
                .sorted(Comparator.comparing((Placed p) -> p.predicted().orElseThrow()).thenComparing(BY_FIRST_COME))
                .limit(guard.fillers())
                .collect(Collectors.toSet());
        return placed.stream().map(p -> fillers.contains(p) ? new Placed(p.candidate(), FILLER, p.level()) : p).toList();
    }

    /** A candidate with its rank (rules 1-2, 6, else the rest) and its level (rule 3). */
    private record Placed(Candidate candidate, int rank, long level) {

        Optional<Duration> predicted() {
            return candidate.predicted();
        }
    }

    /**
     * @param backlog the work other than the waiting snapshots' (exports in progress, snapshots expected)
     */
    private static Duration backlogPerSlot(List<Candidate> waiting, int slots, Duration backlog) {
        Known known = Known.of(waiting);
        if (known.count() == 0) {
            return Duration.ZERO;
        }
        // A snapshot without a prediction counts as the mean of those with one.
        Duration unknown = known.mean().multipliedBy(waiting.size() - known.count());
        return known.sum().plus(unknown).plus(backlog).dividedBy(Math.max(1, slots));
    }

    /** The waiting snapshots' predictions: their sum and how many have one. */
    private record Known(Duration sum, int count) {
        static Known of(List<Candidate> waiting) {
            List<Duration> known = waiting.stream().map(Candidate::predicted).flatMap(Optional::stream).toList();
            return new Known(known.stream().reduce(Duration.ZERO, Duration::plus), known.size());
        }

        Duration mean() {
            return sum.dividedBy(count);
        }
    }

    /** Snapshots expected before the known work drains, and their work at the waiting ones' mean prediction. */
    record Expected(int count, Duration work) {
        static final Expected NONE = new Expected(0, Duration.ZERO);
    }

    /**
     * The snapshots expected while the known work (waiting and running) drains from the slots, if they keep
     * arriving at the rate of the last {@link #ARRIVALS_WINDOW}: none once a burst is over.
     */
    static Expected expected(List<Candidate> waiting, int slots, Duration runningRemaining, int arrivedRecently) {
        Known known = Known.of(waiting);
        if (arrivedRecently <= 0 || known.count() == 0) {
            return Expected.NONE;
        }
        Duration mean = known.mean();
        Duration drain = mean.multipliedBy(waiting.size()).plus(runningRemaining).dividedBy(Math.max(1, slots));
        int count = (int) (arrivedRecently * drain.toMillis() / ARRIVALS_WINDOW.toMillis());
        return new Expected(count, mean.multipliedBy(count));
    }

    private static final int URGENT = 0;
    private static final int CRITICAL = 1;
    private static final int REST = 2;
    private static final int FILLER = 3;

    /** @param criticalFrom a prediction at least this long is critical; null: none is */
    private static int rank(Candidate c, Instant now, SchedulingPolicy policy, Duration criticalFrom) {
        if (!c.expiresAt().isAfter(now.plus(policy.urgentBeforeExpiry()))) {
            return URGENT;
        }
        if (criticalFrom != null && c.cautious().isPresent() && c.cautious().get().compareTo(criticalFrom) >= 0) {
            return CRITICAL;
        }
        return REST;
    }

    /** The cluster's priority, raised by one for each aging step the snapshot has waited. */
    static long level(Candidate c, Instant now, SchedulingPolicy policy) {
        Duration waited = Duration.between(c.snapshotTime(), now);
        long steps = waited.isNegative() ? 0 : waited.toMillis() / policy.agingStep().toMillis();
        return c.priority() + steps;
    }

    /** Oldest snapshot first, then earliest request, then the task id (a total order). */
    static final Comparator<Candidate> FIRST_COME = Comparator
            .comparing(Candidate::snapshotTime)
            .thenComparing(c -> c.state().getRequestedAt())
            .thenComparing(c -> c.state().getExportTaskId());

    private static final Comparator<Placed> BY_FIRST_COME = Comparator.comparing(Placed::candidate, FIRST_COME);
    private static final Comparator<Placed> URGENT_ORDER = Comparator
            .comparing((Placed p) -> p.candidate().expiresAt()).thenComparing(BY_FIRST_COME);
    private static final Comparator<Placed> CRITICAL_ORDER = Comparator
            .comparing((Placed p) -> p.candidate().cautious().orElseThrow()).reversed().thenComparing(BY_FIRST_COME);
    private static final Comparator<Placed> REST_ORDER = Comparator
            .comparingLong(Placed::level).reversed()
            .thenComparing(p -> p.predicted().isEmpty())
            .thenComparing(p -> p.predicted().orElse(Duration.ZERO))
            .thenComparing(BY_FIRST_COME);

    /** Rank first; within a rank, that rank's order. */
    private static final Comparator<Placed> PLACE = Comparator.comparingInt(Placed::rank)
            .thenComparing((a, b) -> switch (a.rank()) {
                case URGENT -> URGENT_ORDER.compare(a, b);
                case CRITICAL -> CRITICAL_ORDER.compare(a, b);
                default -> REST_ORDER.compare(a, b); // the rest, and the fillers among themselves

            });

    static Instant snapshotTime(SnapshotRef snapshot) {
        return snapshot.getSnapshotCreatedAt() != null
                ? snapshot.getSnapshotCreatedAt()
                : snapshot.getSnapshotDate().atStartOfDay().toInstant(ZoneOffset.UTC);
    }
}
