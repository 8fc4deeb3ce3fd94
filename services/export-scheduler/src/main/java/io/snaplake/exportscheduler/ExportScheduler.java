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
    private final SchedulingPolicy policy;
    private final Duration stateRetention;
    /** Expired states are not looked for before this (a tombstone could not be written: try again later). */
    private volatile Instant expiryRetryAt = Instant.MIN;

    /** A scheduler with the default scheduling policy and state retention. */
    public ExportScheduler(RdsExports rds, ExportStateStore store, ExportEventPublisher publisher, ExportEvents events,
            ExportSchedulerProperties properties, Clock clock, SchedulerTimer timer, MeterRegistry meters) {
        this(rds, store, publisher, events, properties, SchedulingPolicy.defaults(), ExportStateSettings.DEFAULT_RETENTION,
                clock, timer, meters);
    }

    /**
     * @param policy         which waiting snapshot gets the next slot ({@link WaitingOrder})
     * @param stateRetention COMPLETED and FAILED states are deleted (tombstoned) this long after they ended
     */
    public ExportScheduler(RdsExports rds, ExportStateStore store, ExportEventPublisher publisher, ExportEvents events,
            ExportSchedulerProperties properties, SchedulingPolicy policy, Duration stateRetention, Clock clock,
            SchedulerTimer timer, MeterRegistry meters) {
        this.policy = policy;
        this.stateRetention = stateRetention;
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
        Decision decision = ExportStateMachine.onRequest(existing.map(export -> export.state).orElse(null), created,
                clock.instant().minus(stateRetention));
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
                properties.settingsFor(created.getSnapshot().getClusterId()), tracker.durationsOf(created.getSnapshot()), now);
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
            expireEndedStates(now);
        } finally {
            Optional<Instant> expiry = tracker.nextExpiryAt(stateRetention)
                    .map(when -> when.isBefore(expiryRetryAt) ? expiryRetryAt : when);
            Optional<Instant> work = tracker.nextWorkAt(slots.nextCheckAt());
            Optional<Instant> next = work.isPresent() && expiry.isPresent()
                    ? Optional.of(work.get().isBefore(expiry.get()) ? work.get() : expiry.get())
                    : work.or(() -> expiry);
            next.ifPresent(when -> timer.runAt(when, this::tick));
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
        ExportTaskState completed = ExportStateMachine.completed(running, task, tracker.durationsOf(running.getSnapshot()), now);
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
        List<WaitingOrder.Candidate> waiting = tracker.waitingDue(now, policy, properties.maxConcurrentExports());
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
        warnOfExpiryBeforeASlot(waiting, free, now);
        for (WaitingOrder.Candidate candidate : waiting) {
            if (free <= 0) {
                noSlotFree(now);
                break;
            }
            TrackedExport export = candidate.export();
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

    /**
     * Reports each waiting snapshot that is predicted to get its slot only after RDS deletes it (its
     * cluster's snapshot retention). The prediction plays the queue, in its order, onto the slots: free ones
     * now, ours when their exports are predicted to end, others' (unknown) after a poll interval; a
     * snapshot with no predicted duration counts as the mean of those predicted.
     */
    private void warnOfExpiryBeforeASlot(List<WaitingOrder.Candidate> waiting, int free, Instant now) {
        java.util.PriorityQueue<Instant> slotFreeAt = new java.util.PriorityQueue<>();
        List<Instant> ours = tracker.predictedEnds(now, policy);
        slotFreeAt.addAll(ours);
        for (int i = 0; i < Math.max(0, free); i++) {
            slotFreeAt.add(now);
        }
        while (slotFreeAt.size() < properties.maxConcurrentExports()) {
            slotFreeAt.add(now.plus(properties.pollInterval()));
        }
        List<Duration> known = waiting.stream().map(WaitingOrder.Candidate::predicted).flatMap(Optional::stream).toList();
        Duration typical = known.isEmpty() ? Duration.ZERO
                : known.stream().reduce(Duration.ZERO, Duration::plus).dividedBy(known.size());
        List<ExpiryWarning> warnings = new java.util.ArrayList<>();
        for (WaitingOrder.Candidate candidate : waiting) {
            Instant slotAt = slotFreeAt.poll();
            slotFreeAt.add(slotAt.plus(candidate.predicted().orElse(typical)));
            if (slotAt.isAfter(candidate.expiresAt()) && slotAt.isAfter(now)) {
                synchronized (tracker) {
                    if (candidate.export().expiryWarned || !tracker.owns(candidate.export())) {
                        continue;
                    }
                    candidate.export().expiryWarned = true;
                }
                warnings.add(new ExpiryWarning(candidate.state(), candidate.expiresAt(), slotAt));
            }
        }
        // Outside the lock: the events go to Kafka.
        for (ExpiryWarning warning : warnings) {
            metrics.expiryAtRisk();
            log.warn("Snapshot {} expires at {} but is predicted to get an export slot only at {}",
                    warning.state().getSnapshot().getSnapshotId(), warning.expiresAt(), warning.slotAt());
            try {
                publisher.exportFailed(events.mayExpireBeforeExport(warning.state(), warning.expiresAt(), warning.slotAt()));
            } catch (RuntimeException e) {
                log.warn("Could not publish the expiry warning of {} ({}); it is logged above", warning.state().getSnapshot().getSnapshotId(), e.toString());
            }
        }
    }

    private record ExpiryWarning(ExportTaskState state, Instant expiresAt, Instant slotAt) {
    }

    /**
     * Deletes the states of exports that ended at least the state retention ago (a tombstone on the
     * compacted topic), so memory and read-back time stay bounded. A request for such a snapshot is then
     * refused by its age ({@link ExportStateMachine#onRequest}); the cluster's durations live on in its newer states.
     */
    private void expireEndedStates(Instant now) {
        if (now.isBefore(expiryRetryAt)) {
            return;
        }
        for (TrackedExport export : tracker.expired(now, stateRetention)) {
            ExportTaskState expired = export.state;
            try {
                store.delete(expired.getSnapshot(), export.partition);
            } catch (RuntimeException e) {
                expiryRetryAt = now.plus(properties.retryInitialBackoff());
                log.warn("Could not delete the expired export state of {} ({}); trying again in {}",
                        expired.getSnapshot().getSnapshotId(), e.toString(), properties.retryInitialBackoff());
                return;
            }
            if (tracker.forget(export, expired)) {
                metrics.stateExpired();
                log.info("Export state of {} ({} {}) expired after {}", expired.getSnapshot().getSnapshotId(),
                        expired.getExportTaskId(), expired.getStatus(), stateRetention);
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
