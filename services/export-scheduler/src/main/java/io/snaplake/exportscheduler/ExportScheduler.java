package io.snaplake.exportscheduler;

import io.micrometer.core.instrument.MeterRegistry;
import io.snaplake.events.ExportTaskState;
import io.snaplake.events.ExportTaskStatus;
import io.snaplake.events.SnapshotCreated;
import io.snaplake.events.SnapshotRef;
import io.snaplake.exportscheduler.ExportStateMachine.Decision;
import io.snaplake.exportscheduler.domain.ExportEventPublisher;
import io.snaplake.exportscheduler.domain.ExportPrefixes;
import io.snaplake.exportscheduler.domain.ExportStateStore;
import io.snaplake.exportscheduler.domain.ExportTask;
import io.snaplake.exportscheduler.domain.RdsExportException;
import io.snaplake.exportscheduler.domain.RdsExports;
import io.snaplake.exportscheduler.domain.SchedulerTimer;
import io.snaplake.exportscheduler.domain.StateNotRestoredException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives each snapshot's export from request to a terminal state, within the account's limit of
 * concurrent exports. The parts: {@link ExportStateMachine} (the states and their moves, pure),
 * {@link ExportTracker} (what this replica drives, and the one lock), {@link SlotAllocator} (the account's
 * slots, and starting or adopting a task); this class runs them.
 *
 * <p>Two sides, two threads. The consumer side ({@link #request}, {@link #assigned}) only records what is
 * asked, durably, and returns: it never calls AWS. The loop side ({@link #tick}, on the
 * {@link SchedulerTimer}'s one thread) reads back assigned partitions, polls running exports and starts
 * waiting ones. Every change is worked out under the tracker's lock, written (event, then state) with no
 * lock held, and applied only if the export is still this replica's and unchanged.
 *
 * <p>Idempotence: the task id is a function of the snapshot and the attempt, a waiting export is first
 * looked up by id, and {@code ExportTaskAlreadyExists} adopts the task, so a crash between
 * StartExportTask and saving the state never exports a snapshot twice; events emitted again keep their ids.
 */
public final class ExportScheduler {

    private static final Logger log = LoggerFactory.getLogger(ExportScheduler.class);

    private final ExportStateStore store;
    private final ExportEventPublisher publisher;
    private final ExportEvents events;
    private final ExportSchedulerProperties properties;
    private final Clock clock;
    private final SchedulerTimer timer;
    private final RdsExports rds;
    private final ExportMetrics metrics;
    private final ExportTracker tracker;
    private final SlotAllocator slots;

    public ExportScheduler(RdsExports rds, ExportStateStore store, ExportEventPublisher publisher, ExportEvents events,
            ExportSchedulerProperties properties, Clock clock, SchedulerTimer timer, MeterRegistry meters) {
        this.rds = rds;
        this.store = store;
        this.publisher = publisher;
        this.events = events;
        this.properties = properties;
        this.clock = clock;
        this.timer = timer;
        this.tracker = new ExportTracker(properties);
        this.slots = new SlotAllocator(rds, properties.maxConcurrentExports());
        this.metrics = new ExportMetrics(meters, () -> tracker.count(ExportTaskStatus.WAITING),
                () -> tracker.count(ExportTaskStatus.IN_PROGRESS),
                () -> tracker.oldestWaitingSince().map(since -> Duration.between(since, clock.instant()).toMillis() / 1000.0).orElse(0.0));
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
        Decision decision = ExportStateMachine.onRequest(existing.map(export -> export.state).orElse(null), created);
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
                properties.settingsFor(created.getSnapshot().getClusterId()), now);
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
            pollDueExports(now);
            startWaitingExports(now);
        } finally {
            tracker.nextWorkAt(slots.nextCheckAt()).ifPresent(when -> timer.runAt(when, this::tick));
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

    private void pollDueExports(Instant now) {
        List<TrackedExport> due = tracker.dueForPoll(now);
        boolean someoneWaits = tracker.someoneWaits();
        for (TrackedExport export : due) {
            ExportTaskState polled = export.state;
            try {
                Optional<ExportTask> task = rds.find(polled.getExportTaskId());
                applyPoll(export, polled, task, now, someoneWaits);
            } catch (RdsExportException e) {
                retryLater(export, now, "DescribeExportTasks", e);
            } catch (RuntimeException e) {
                retryLater(export, now, "recording the export's progress", e);
            }
        }
    }

    private void applyPoll(TrackedExport export, ExportTaskState polled, Optional<ExportTask> found, Instant now, boolean someoneWaits) {
        String taskId = polled.getExportTaskId();
        if (found.isEmpty()) {
            // Describe right after a start can lag behind (eventual consistency): look again later.
            log.warn("Export task {} is not listed by DescribeExportTasks yet", taskId);
            synchronized (tracker) {
                export.pollAgain(now, properties, someoneWaits);
            }
            return;
        }
        ExportTask task = found.get();
        synchronized (tracker) {
            export.failures = 0;
            if (task.percentProgress() != export.lastProgress) {
                log.info("Export {} of {}: {} {}%", taskId, polled.getSnapshot().getSnapshotId(), task.status(), task.percentProgress());
                export.lastProgress = task.percentProgress();
            }
        }
        metrics.progress(polled.getSnapshot().getClusterId(), task.percentProgress());
        switch (task.status()) {
            case COMPLETE -> complete(export, polled, task, now);
            case FAILED, CANCELED -> fail(export, polled, "EXPORT_" + task.status(),
                    "Export task " + taskId + " ended " + task.status() + ": "
                            + Optional.ofNullable(task.failureCause()).orElse("(AWS gave no cause)"),
                    task.failureCause() == null ? Map.of() : Map.of("failureCause", task.failureCause()), now);
            default -> {
                synchronized (tracker) {
                    export.pollAgain(now, properties, someoneWaits);
                }
            }
        }
    }

    private void complete(TrackedExport export, ExportTaskState running, ExportTask task, Instant now) {
        if (!tracker.owns(export)) {
            return;
        }
        ExportTaskState completed = ExportStateMachine.completed(running, task, now);
        // Event first, then state: a crash in between polls again and emits the same event (same id).
        publisher.exportCompleted(events.completed(completed));
        store.save(completed, export.partition);
        if (tracker.update(export, running, completed)) {
            metrics.completed();
            slots.slotFreed(now);
            log.info("Export {} of {} complete: {}", completed.getExportTaskId(), completed.getSnapshot().getSnapshotId(),
                    ExportPrefixes.exportLocation(completed.getBucket(), completed.getPrefix(), completed.getExportTaskId()));
        }
    }

    private void fail(TrackedExport export, ExportTaskState from, String reason, String message, Map<String, String> details,
            Instant now) {
        if (!tracker.owns(export)) {
            return;
        }
        ExportTaskState failed = ExportStateMachine.failed(from, reason, message, now);
        publisher.exportFailed(events.failed(failed, details));
        store.save(failed, export.partition);
        if (tracker.update(export, from, failed)) {
            metrics.failed();
            if (from.getStatus() == ExportTaskStatus.IN_PROGRESS) {
                slots.slotFreed(now);
            }
            log.warn("Export of {} failed ({}): {}", failed.getSnapshot().getSnapshotId(), reason, message);
        }
    }

    private void startWaitingExports(Instant now) {
        if (!slots.mayCheck(now)) {
            return;
        }
        List<TrackedExport> waiting = tracker.waitingDue(now, SlotAllocator.SNAPSHOT_TIME_ORDER);
        if (waiting.isEmpty()) {
            return;
        }
        int free;
        try {
            free = slots.freeSlots();
        } catch (RdsExportException e) {
            log.warn("Cannot count the exports in progress ({}: {}); trying again in {}", e.errorCode(), e.getMessage(),
                    properties.retryInitialBackoff());
            slots.checkAgainAt(now.plus(properties.retryInitialBackoff()));
            return;
        }
        for (TrackedExport export : waiting) {
            if (free <= 0) {
                noSlotFree(now);
                break;
            }
            ExportTaskState state = export.state;
            try {
                SlotAllocator.Started started = slots.startOrAdopt(state);
                markStarted(export, state, started.task(), now);
                if (started.tookASlot()) {
                    free--;
                }
            } catch (RdsExportException.LimitReached e) {
                metrics.limitReached();
                log.info("Export limit reached ({}); {} waits for a slot", e.getMessage(), state.getSnapshot().getSnapshotId());
                noSlotFree(now);
                break;
            } catch (RdsExportException.Permanent e) {
                fail(export, state, e.reason(), "StartExportTask for " + state.getSnapshot().getSnapshotArn()
                        + " was refused: " + e.errorCode() + ": " + e.getMessage(), Map.of("awsErrorCode", e.errorCode()), now);
            } catch (RuntimeException e) {
                retryLater(export, now, "starting the export", e);
            }
        }
    }

    /** Slots are counted again after a poll interval, or as soon as one of our exports ends. */
    private void noSlotFree(Instant now) {
        Instant soon = now.plus(properties.pollInterval());
        slots.checkAgainAt(soon);
        tracker.pollRunningBy(soon);
    }

    private void markStarted(TrackedExport export, ExportTaskState waiting, ExportTask task, Instant now) {
        if (!tracker.owns(export)) {
            return;
        }
        ExportTaskState started = ExportStateMachine.started(waiting, now);
        // Event first, then state: a crash in between finds the task by id and emits the same event again.
        publisher.exportStarted(events.started(started));
        store.save(started, export.partition);
        synchronized (tracker) {
            if (!tracker.update(export, waiting, started)) {
                return;
            }
            export.failures = 0;
            export.pollDelay = properties.pollInterval();
            export.nextCheckAt = task.status().isTerminal() ? now : now.plus(properties.pollInterval());
        }
        metrics.started();
        log.info("Export {} of {} started after waiting {}", started.getExportTaskId(),
                started.getSnapshot().getSnapshotId(), Duration.between(started.getRequestedAt(), now));
    }

    private void retryLater(TrackedExport export, Instant now, String what, RuntimeException e) {
        Duration backoff;
        int failures;
        synchronized (tracker) {
            backoff = export.backOff(now, properties);
            failures = export.failures;
        }
        String code = e instanceof RdsExportException aws ? aws.errorCode() + ": " : "";
        log.warn("{} for {} failed ({}{}); retry {} in {}", what, export.state.getExportTaskId(), code, e.getMessage(),
                failures, backoff);
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
