package io.snaplake.exportscheduler.domain;

import io.snaplake.events.ExportTaskState;
import io.snaplake.events.ExportTaskStatus;
import io.snaplake.events.SnapshotCreated;
import io.snaplake.events.SnapshotRef;
import io.snaplake.exportscheduler.domain.ExportStateMachine.Decision;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives each snapshot's export from request to a terminal state, within the account's limit of concurrent
 * exports. The consumer side ({@link #request}, {@link #assigned}) only records what is asked, durably, and
 * returns: it never calls AWS. The loop side ({@link #tick}, on the {@link SchedulerTimer}'s one thread) reads
 * back assigned partitions, polls running exports ({@link RunningExports}), starts waiting ones
 * ({@link WaitingExports}) and deletes expired states ({@link StateExpiry}). docs/design/export-scheduler.md
 * explains the parts and why a snapshot is never exported twice.
 */
public final class ExportScheduler {

    private static final Logger log = LoggerFactory.getLogger(ExportScheduler.class);

    private final ExportStateStore store;
    private final ExportEventPublisher publisher;
    private final ExportEvents events;
    private final SchedulerSettings settings;
    private final ExportSettingsByCluster exports;
    private final Clock clock;
    private final SchedulerTimer timer;
    private final ExportMetrics metrics;
    private final ExportTracker tracker;
    private final SlotAllocator slots;
    private final RunningExports running;
    private final WaitingExports waiting;
    private final StateExpiry expiry;

    /**
     * @param exports where each cluster's snapshots are exported
     * @param policy  which waiting snapshot gets the next slot ({@link WaitingOrder})
     * @param timer   runs the loop's passes
     */
    public ExportScheduler(RdsExports rds, ExportStateStore store, ExportEventPublisher publisher, ExportEvents events,
            SchedulerSettings settings, ExportSettingsByCluster exports, SchedulingPolicy policy, Clock clock,
            SchedulerTimer timer, ExportMetrics metrics) {
        this.store = store;
        this.publisher = publisher;
        this.events = events;
        this.settings = settings;
        this.exports = exports;
        this.clock = clock;
        this.timer = timer;
        this.metrics = metrics;
        this.tracker = new ExportTracker(settings);
        this.slots = new SlotAllocator(rds, settings.maxConcurrentExports());
        ExportTransitions transitions = new ExportTransitions(store, publisher, events, tracker, slots, settings, metrics);
        this.running = new RunningExports(rds, tracker, transitions, settings, metrics);
        this.waiting = new WaitingExports(tracker, slots, transitions,
                new ExpiryWarnings(tracker, publisher, events, policy, settings, metrics), policy, settings, metrics);
        this.expiry = new StateExpiry(tracker, store, settings, metrics);
        metrics.watch(new ExportMetrics.Queue() {
            @Override
            public int waiting() {
                return tracker.count(ExportTaskStatus.WAITING);
            }

            @Override
            public int inProgress() {
                return tracker.count(ExportTaskStatus.IN_PROGRESS);
            }

            @Override
            public double oldestWaitingSeconds() {
                return tracker.oldestWaitingSince().map(since -> Duration.between(since, clock.instant()).toMillis() / 1000.0).orElse(0.0);
            }
        });
    }

    /** The key of a snapshot's state: one per snapshot, prefixed by the input's record key. */
    public static String stateKey(SnapshotRef snapshot) {
        return ExportTracker.stateKey(snapshot);
    }

    /** Starts the loop. */
    public void start() {
        wakeUp();
    }

    /**
     * Records a request for an export and returns; called on the consumer thread. A failed write throws
     * (the consumer tries the record again, for as long as Kafka is away).
     *
     * @param partition the input partition the request came from: the state goes to the same partition
     * @throws StateNotRestoredException while the partition's states are still being read back
     */
    public void request(SnapshotCreated created, int partition) {
        if (tracker.isRestoring(partition)) {
            throw new StateNotRestoredException(partition);
        }
        SnapshotRef snapshot = created.getSnapshot();
        Optional<TrackedExport> existing = tracker.get(snapshot);
        Decision decision = ExportStateMachine.onRequest(existing.map(export -> export.state).orElse(null), created,
                clock.instant().minus(settings.stateRetention()));
        if (decision instanceof Decision.NewAttempt attempt) {
            newAttempt(created, partition, attempt.attempt());
        } else if (decision instanceof Decision.CompletedAgain again) {
            log.info("Snapshot {} was exported by {}: emitting ExportCompleted again, no new export",
                    snapshot.getSnapshotId(), again.completed().getExportTaskId());
            publisher.exportCompleted(events.completed(again.completed()));
        } else if (decision instanceof Decision.Nothing nothing) {
            log.info("Snapshot {}: nothing to do, {}", snapshot.getSnapshotId(), nothing.why());
        }
    }

    private void newAttempt(SnapshotCreated created, int partition, int attempt) {
        Instant now = clock.instant();
        ExportTaskState state = ExportStateMachine.newAttempt(created, attempt,
                exports.settingsFor(created.getSnapshot().getClusterId()), tracker.durationsOf(created.getSnapshot()), now);
        if (state.getStatus() == ExportTaskStatus.FAILED) {
            publisher.exportFailed(events.failed(state, Map.of()));
            store.save(state, partition);
            metrics.failed();
        } else {
            store.save(state, partition);
            log.info("Snapshot {} waits for an export slot as {}", created.getSnapshot().getSnapshotId(), state.getExportTaskId());
        }
        tracker.track(state, partition, now);
        wakeUp();
    }

    /**
     * This replica was just assigned these input partitions (called on the consumer thread, before any of
     * their records): their states are read back now, and if the store cannot answer, again by the loop
     * with capped back-off until it does. Until then their requests are refused ({@link StateNotRestoredException}).
     */
    public void assigned(Collection<Integer> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        tracker.assign(partitions, clock.instant());
        restorePending(clock.instant());
        wakeUp();
    }

    /** Takes over the exports of a partition as read back from the state store (a restart, a rebalance). */
    public void adopt(int partition, Collection<ExportTaskState> states) {
        Instant now = clock.instant();
        tracker.adopt(partition, states, now);
        logAdopted(partition, states);
        slots.slotFreed(now);
        wakeUp();
    }

    /** Lets go of the exports of partitions this replica no longer owns (their new owner drives them). */
    public void release(Collection<Integer> partitions) {
        tracker.release(partitions);
    }

    /** One pass of the loop: reads back assigned partitions, polls exports that are due, starts waiting ones while slots are free. */
    public void tick() {
        Instant now = clock.instant();
        try {
            restorePending(now);
            running.pollDue(now);
            waiting.startDue(now);
            expiry.expire(now);
        } finally {
            Stream.of(tracker.nextWorkAt(slots.nextCheckAt()), expiry.nextAt())
                    .flatMap(Optional::stream)
                    .min(Comparator.naturalOrder())
                    .ifPresent(when -> timer.runAt(when, this::tick));
        }
    }

    /** What this replica tracks, by status (for tests and the benchmark). */
    public Map<ExportTaskStatus, List<ExportTaskState>> snapshotOfStates() {
        return tracker.byStatus();
    }

    private void restorePending(Instant now) {
        Map<Integer, ExportTracker.PendingRestore> due = tracker.dueRestores(now);
        if (due.isEmpty()) {
            return;
        }
        Map<Integer, List<ExportTaskState>> states;
        try {
            states = store.restore(due.keySet());
        } catch (RuntimeException e) {
            Duration backoff = tracker.restoreFailed(due, now);
            metrics.restoreFailed();
            log.warn("Cannot read back the export states of input partitions {} ({}); their requests wait, trying again in {}",
                    due.keySet(), e.toString(), backoff);
            return;
        }
        for (int partition : tracker.restored(due, states, now)) {
            logAdopted(partition, states.getOrDefault(partition, List.of()));
        }
        slots.slotFreed(now);
    }

    private void logAdopted(int partition, Collection<ExportTaskState> states) {
        log.info("Took over partition {}: {} exports ({} waiting, {} in progress)", partition, states.size(),
                states.stream().filter(s -> s.getStatus() == ExportTaskStatus.WAITING).count(),
                states.stream().filter(s -> s.getStatus() == ExportTaskStatus.IN_PROGRESS).count());
    }

    private void wakeUp() {
        timer.runAt(clock.instant(), this::tick);
    }
}
