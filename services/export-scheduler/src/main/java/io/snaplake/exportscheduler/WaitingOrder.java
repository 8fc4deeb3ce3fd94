package io.snaplake.exportscheduler;

import io.snaplake.events.ExportTaskState;
import io.snaplake.events.SnapshotRef;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The order in which waiting snapshots get export slots, as a pure function of what is waiting and the
 * time (no I/O, no lock). With {@link SchedulingPolicy.Order#PRIORITY}:
 * <ol>
 *   <li>a snapshot close to expiring (within {@code urgent-before-expiry} of its cluster's snapshot
 *       retention) goes first, the one expiring soonest first: once RDS deletes it, it cannot be exported;</li>
 *   <li>then a critical snapshot, longest predicted export first: one whose predicted export is about as
 *       long as the whole backlog (waiting and running) spread over the slots, or any with a prediction in
 *       the day's tail ({@link MakespanGuard}). Started last, such an export alone would finish after
 *       everything else and end the day late: this keeps the makespan near its bound;</li>
 *   <li>then by level, highest first: the cluster's priority plus one for every {@code aging-step} the
 *       snapshot has waited since it was taken, so a snapshot passed over keeps rising until it is ahead
 *       of every newer one (no starvation);</li>
 *   <li>within a level, shortest predicted export first (this is what cuts the mean time to export), a
 *       snapshot with a prediction before one without;</li>
 *   <li>then first come, first served: oldest snapshot, then earliest request.</li>
 * </ol>
 * A prediction is the median of the cluster's recent export durations ({@link ExportDurations}), else
 * the snapshot's size at the assumed throughput, else none. {@link SchedulingPolicy.Order#SNAPSHOT_TIME}
 * is rule 5 alone.
 */
final class WaitingOrder {

    private WaitingOrder() {
    }

    /** A waiting export with what its place depends on. */
    record Candidate(TrackedExport export, int priority, Instant snapshotTime, Instant expiresAt, Optional<Duration> predicted) {

        ExportTaskState state() {
            return export.state;
        }
    }

    static Candidate candidate(TrackedExport export, SchedulingPolicy policy, ExportDurations durations) {
        ExportTaskState state = export.state;
        SnapshotRef snapshot = state.getSnapshot();
        Instant taken = snapshotTime(snapshot);
        return new Candidate(export, policy.priorityOf(snapshot.getClusterId()), taken,
                taken.plus(policy.snapshotRetentionOf(snapshot.getClusterId())), predict(state, policy, durations));
    }

    static Optional<Duration> predict(ExportTaskState state, SchedulingPolicy policy, ExportDurations durations) {
        Optional<Duration> fromHistory = durations.predict(state.getSnapshot());
        if (fromHistory.isPresent()) {
            return fromHistory;
        }
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
        return order(waiting, now, policy, slots, runningRemaining, MakespanGuard.DEFAULT);
    }

    /**
     * Rule 2's thresholds: an export is critical when its prediction is at least {@code criticalShare} of the
     * backlog per slot (below 1: predictions are medians, and a long export that runs over its median is
     * what ends a day late), or, in the day's tail (at most {@code tailPerSlot} snapshots waiting per slot,
     * each of which gets a slot soon anyway), whenever it has a prediction: the tail runs longest first.
     * Chosen with {@code ./snaplake bench schedule} (README); {@link #OFF} leaves rules 3-5 alone (tests).
     */
    record MakespanGuard(double criticalShare, int tailPerSlot) {
        static final MakespanGuard DEFAULT = new MakespanGuard(0.7, 3);
        static final MakespanGuard OFF = new MakespanGuard(Double.POSITIVE_INFINITY, 0);
    }

    static List<Candidate> order(List<Candidate> waiting, Instant now, SchedulingPolicy policy, int slots, Duration runningRemaining,
            MakespanGuard guard) {
        if (policy.order() == SchedulingPolicy.Order.SNAPSHOT_TIME) {
            return waiting.stream().sorted(FIRST_COME).toList();
        }
        boolean tail = waiting.size() <= guard.tailPerSlot() * slots;
        Duration backlog = backlogPerSlot(waiting, slots, runningRemaining);
        Duration criticalFrom = tail ? Duration.ZERO
                : Double.isInfinite(guard.criticalShare()) ? null
                : Duration.ofMillis((long) (guard.criticalShare() * backlog.toMillis()));
        Comparator<Candidate> order = Comparator
                .comparingInt((Candidate c) -> rank(c, now, policy, criticalFrom))
                .thenComparing((a, b) -> withinRank(a, b, rank(a, now, policy, criticalFrom), now, policy));
        return waiting.stream().sorted(order).toList();
    }

    private static Duration backlogPerSlot(List<Candidate> waiting, int slots, Duration runningRemaining) {
        List<Duration> known = waiting.stream().map(Candidate::predicted).flatMap(Optional::stream).toList();
        if (known.isEmpty()) {
            return Duration.ZERO;
        }
        Duration sum = known.stream().reduce(Duration.ZERO, Duration::plus);
        Duration unknown = sum.dividedBy(known.size()).multipliedBy(waiting.size() - known.size());
        return sum.plus(unknown).plus(runningRemaining).dividedBy(Math.max(1, slots));
    }

    private static final int URGENT = 0;
    private static final int CRITICAL = 1;
    private static final int REST = 2;

    /** @param criticalFrom a prediction at least this long is critical; null: none is */
    private static int rank(Candidate c, Instant now, SchedulingPolicy policy, Duration criticalFrom) {
        if (!c.expiresAt().isAfter(now.plus(policy.urgentBeforeExpiry()))) {
            return URGENT;
        }
        if (criticalFrom != null && c.predicted().isPresent() && c.predicted().get().compareTo(criticalFrom) >= 0) {
            return CRITICAL;
        }
        return REST;
    }

    private static int withinRank(Candidate a, Candidate b, int rank, Instant now, SchedulingPolicy policy) {
        return switch (rank) {
            case URGENT -> Comparator.comparing(Candidate::expiresAt).thenComparing(FIRST_COME).compare(a, b);
            case CRITICAL -> Comparator.comparing((Candidate c) -> c.predicted().orElseThrow()).reversed()
                    .thenComparing(FIRST_COME).compare(a, b);
            default -> Comparator.comparingLong((Candidate c) -> -level(c, now, policy))
                    .thenComparing(c -> c.predicted().isEmpty())
                    .thenComparing(c -> c.predicted().orElse(Duration.ZERO))
                    .thenComparing(FIRST_COME).compare(a, b);
        };
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

    static Instant snapshotTime(SnapshotRef snapshot) {
        return snapshot.getSnapshotCreatedAt() != null
                ? snapshot.getSnapshotCreatedAt()
                : snapshot.getSnapshotDate().atStartOfDay().toInstant(ZoneOffset.UTC);
    }
}
