package io.snaplake.exportscheduler.domain;

import io.snaplake.events.ExportTaskState;
import io.snaplake.events.ExportTaskStatus;
import io.snaplake.events.SnapshotRef;
import io.snaplake.pipeline.SnapshotKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What this replica drives: the exports of the input partitions it owns, and the partitions it was
 * assigned whose states are still being read back. Its monitor is the scheduler's one lock, held only for
 * in-memory work: no Kafka or AWS call is ever made while holding it.
 */
final class ExportTracker {

    private final SchedulerSettings settings;
    /** By {@link #stateKey}. */
    private final Map<String, TrackedExport> exports = new HashMap<>();
    private final Map<Integer, PendingRestore> restoring = new HashMap<>();
    /** Outlives the states it was learnt from: a state's expiry does not forget its cluster's durations. */
    private final ExportDurations durations = new ExportDurations();

    ExportTracker(SchedulerSettings settings) {
        this.settings = settings;
    }

    /** The key of a snapshot's state: one per snapshot, prefixed by the input's record key. */
    static String stateKey(SnapshotRef snapshot) {
        return SnapshotKeys.recordKey(snapshot) + "/" + snapshot.getSnapshotArn();
    }

    synchronized Optional<TrackedExport> get(SnapshotRef snapshot) {
        return Optional.ofNullable(exports.get(stateKey(snapshot)));
    }

    synchronized void track(ExportTaskState state, int partition, Instant nextCheckAt) {
        durations.absorb(state);
        exports.put(stateKey(state.getSnapshot()), new TrackedExport(state, partition, nextCheckAt, settings.pollInterval()));
    }

    /** True while the export is still this replica's (not released, not replaced by a newer attempt). */
    synchronized boolean owns(TrackedExport export) {
        return exports.get(stateKey(export.state.getSnapshot())) == export;
    }

    /** Applies a change to an export if it is still this replica's and still in the state the change was made from. */
    synchronized boolean update(TrackedExport export, ExportTaskState from, ExportTaskState to) {
        if (!owns(export) || export.state != from) {
            return false;
        }
        export.state = to;
        durations.absorb(to);
        return true;
    }

    /** The durations of the cluster's recent exports, oldest first. */
    synchronized List<Long> durationsOf(SnapshotRef snapshot) {
        return durations.of(snapshot);
    }

    synchronized Optional<Duration> predict(ExportTaskState state, SchedulingPolicy policy) {
        return WaitingOrder.predict(state, policy, durations);
    }

    /** COMPLETED and FAILED exports that ended at least {@code retention} ago: their states are to be deleted. */
    synchronized List<TrackedExport> expired(Instant now, Duration retention) {
        Instant endedBefore = now.minus(retention);
        return exports.values().stream()
                .filter(export -> isTerminal(export) && !export.state.getFinishedAt().isAfter(endedBefore))
                .toList();
    }

    /** Forgets an expired export whose tombstone is written, unless it changed meanwhile (a forced re-export). */
    synchronized boolean forget(TrackedExport export, ExportTaskState expired) {
        if (!owns(export) || export.state != expired) {
            return false;
        }
        exports.remove(stateKey(expired.getSnapshot()));
        return true;
    }

    /** When the next terminal state expires, if any. */
    synchronized Optional<Instant> nextExpiryAt(Duration retention) {
        return exports.values().stream().filter(ExportTracker::isTerminal)
                .map(export -> export.state.getFinishedAt().plus(retention))
                .min(Comparator.naturalOrder());
    }

    private static boolean isTerminal(TrackedExport export) {
        return (export.is(ExportTaskStatus.COMPLETED) || export.is(ExportTaskStatus.FAILED)) && export.state.getFinishedAt() != null;
    }

    synchronized boolean isRestoring(int partition) {
        return restoring.containsKey(partition);
    }

    synchronized void assign(Collection<Integer> partitions, Instant now) {
        partitions.forEach(partition -> restoring.put(partition, new PendingRestore(now)));
    }

    /** Partitions whose read-back is due, each with the token that says it is still the same assignment. */
    synchronized Map<Integer, PendingRestore> dueRestores(Instant now) {
        Map<Integer, PendingRestore> due = new HashMap<>();
        restoring.forEach((partition, pending) -> {
            if (!pending.nextAttemptAt.isAfter(now)) {
                due.put(partition, pending);
            }
        });
        return due;
    }

    synchronized Duration restoreFailed(Map<Integer, PendingRestore> due, Instant now) {
        Duration backoff = settings.retry().initialBackoff();
        for (Map.Entry<Integer, PendingRestore> entry : due.entrySet()) {
            if (restoring.get(entry.getKey()) == entry.getValue()) {
                backoff = entry.getValue().failed(now, settings);
            }
        }
        return backoff;
    }

    /** Takes over what was read back, for the partitions still assigned as they were; returns those partitions. */
    synchronized List<Integer> restored(Map<Integer, PendingRestore> due, Map<Integer, List<ExportTaskState>> states, Instant now) {
        List<Integer> adopted = new ArrayList<>();
        due.forEach((partition, pending) -> {
            // Revoked (or assigned again) meanwhile: what was read is no longer this replica's to drive.
            if (restoring.get(partition) == pending) {
                restoring.remove(partition);
                adopt(partition, states.getOrDefault(partition, List.of()), now);
                adopted.add(partition);
            }
        });
        return adopted;
    }

    synchronized void adopt(int partition, Collection<ExportTaskState> states, Instant now) {
        states.forEach(state -> track(state, partition, now));
    }

    synchronized void release(Collection<Integer> partitions) {
        Set<Integer> released = Set.copyOf(partitions);
        exports.values().removeIf(export -> released.contains(export.partition));
        restoring.keySet().removeAll(released);
    }

    synchronized List<TrackedExport> dueForPoll(Instant now) {
        return exports.values().stream()
                .filter(export -> export.is(ExportTaskStatus.IN_PROGRESS) && !export.nextCheckAt.isAfter(now))
                .toList();
    }

    synchronized boolean someoneWaits() {
        return exports.values().stream().anyMatch(export -> export.is(ExportTaskStatus.WAITING));
    }

    /** When the export that has waited longest for a slot was requested; empty while nothing waits. */
    synchronized Optional<Instant> oldestWaitingSince() {
        return exports.values().stream().filter(export -> export.is(ExportTaskStatus.WAITING))
                .map(export -> export.state.getRequestedAt()).min(Instant::compareTo);
    }

    /** Waiting exports that may be tried now, in the order they should get a slot ({@link WaitingOrder}). */
    synchronized List<WaitingOrder.Candidate> waitingDue(Instant now, SchedulingPolicy policy, int slots) {
        Duration runningRemaining = predictedEnds(now, policy).stream().map(end -> Duration.between(now, end))
                .reduce(Duration.ZERO, Duration::plus);
        return WaitingOrder.order(exports.values().stream()
                .filter(export -> export.is(ExportTaskStatus.WAITING) && !export.nextCheckAt.isAfter(now))
                .map(export -> WaitingOrder.candidate(export, policy, durations))
                .toList(), now, policy, slots, runningRemaining, arrivedSince(now.minus(WaitingOrder.ARRIVALS_WINDOW)));
    }

    /** Snapshots requested after {@code since}, whatever their state now: how fast snapshots are arriving. */
    private int arrivedSince(Instant since) {
        return (int) exports.values().stream().filter(export -> export.state.getRequestedAt().isAfter(since)).count();
    }

    /** When each of this replica's running exports is predicted to end (now, when it has no prediction or is late). */
    synchronized List<Instant> predictedEnds(Instant now, SchedulingPolicy policy) {
        return exports.values().stream()
                .filter(export -> export.is(ExportTaskStatus.IN_PROGRESS))
                .map(export -> WaitingOrder.predict(export.state, policy, durations)
                        .map(duration -> export.state.getStartedAt().plus(duration))
                        .filter(end -> end.isAfter(now))
                        .orElse(now))
                .toList();
    }

    /** No slot is free: our running exports are polled at the base interval again, to see one free soon. */
    synchronized void pollRunningBy(Instant soon) {
        for (TrackedExport export : exports.values()) {
            if (export.is(ExportTaskStatus.IN_PROGRESS) && export.nextCheckAt.isAfter(soon)) {
                export.nextCheckAt = soon;
                export.pollDelay = settings.pollInterval();
            }
        }
    }

    /** When the loop has work next: a poll, a waiting export's slot check, or a read-back. */
    synchronized Optional<Instant> nextWorkAt(Instant nextSlotCheckAt) {
        return Stream.concat(
                        exports.values().stream().flatMap(export -> switch (export.state.getStatus()) {
                            case IN_PROGRESS -> Stream.of(export.nextCheckAt);
                            case WAITING -> Stream.of(export.nextCheckAt.isAfter(nextSlotCheckAt) ? export.nextCheckAt : nextSlotCheckAt);
                            default -> Stream.empty();
                        }),
                        restoring.values().stream().map(pending -> pending.nextAttemptAt))
                .min(Comparator.naturalOrder());
    }

    synchronized int count(ExportTaskStatus status) {
        return (int) exports.values().stream().filter(export -> export.is(status)).count();
    }

    synchronized Map<ExportTaskStatus, List<ExportTaskState>> byStatus() {
        Map<ExportTaskStatus, List<ExportTaskState>> byStatus = new HashMap<>();
        exports.values().forEach(export -> byStatus.computeIfAbsent(export.state.getStatus(), s -> new ArrayList<>())
                .add(export.state));
        return byStatus;
    }

    /** An assigned partition whose states are still to be read back. Fields are guarded by the tracker's lock. */
    static final class PendingRestore {
        Instant nextAttemptAt;
        int failures;

        PendingRestore(Instant now) {
            this.nextAttemptAt = now;
        }

        Duration failed(Instant now, SchedulerSettings settings) {
            failures++;
            Duration backoff = settings.retry().backoffCap(failures);
            nextAttemptAt = now.plus(backoff);
            return backoff;
        }
    }
}
