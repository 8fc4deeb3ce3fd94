package io.snaplake.exportscheduler;

import io.micrometer.core.instrument.MeterRegistry;
import io.snaplake.events.EventMetadata;
import io.snaplake.events.ExportTaskState;
import io.snaplake.events.ExportTaskStatus;
import io.snaplake.events.SnapshotCreated;
import io.snaplake.events.SnapshotRef;
import io.snaplake.exportscheduler.domain.ExportEventPublisher;
import io.snaplake.exportscheduler.domain.ExportPrefixes;
import io.snaplake.exportscheduler.domain.ExportSettings;
import io.snaplake.exportscheduler.domain.ExportStateStore;
import io.snaplake.exportscheduler.domain.ExportStatus;
import io.snaplake.exportscheduler.domain.ExportTask;
import io.snaplake.exportscheduler.domain.ExportTaskIds;
import io.snaplake.exportscheduler.domain.RdsExportException;
import io.snaplake.exportscheduler.domain.RdsExports;
import io.snaplake.exportscheduler.domain.SchedulerTimer;
import io.snaplake.exportscheduler.domain.StartExportRequest;
import io.snaplake.exportscheduler.domain.StateNotRestoredException;
import io.snaplake.pipeline.SnapshotKeys;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives each snapshot's export from request to a terminal state, within the account's limit of
 * concurrent exports.
 *
 * <p>Two sides, two threads. The consumer side ({@link #request}) only records what is asked, durably,
 * and returns: it never calls AWS, so it never blocks for long. The loop side ({@link #tick}, on the
 * {@link SchedulerTimer}'s one thread) polls running exports and starts waiting ones. The in-memory map
 * is guarded by {@code this}; AWS calls are made outside the lock, and their results are applied only
 * if the export is still this replica's ({@link #owns}).
 *
 * <p>The limit: AWS is the source of truth. Before starting, the loop counts the account's exports that
 * hold a slot (whoever started them) and starts at most the free number, oldest snapshot first; an
 * {@code ExportTaskLimitReachedFault} (another replica was faster) just means "wait". A snapshot waits
 * until one of this replica's exports finishes (then the next one starts in the same pass) or until the
 * next poll interval, when the count is taken again (a slot freed elsewhere). No fixed sleep.
 *
 * <p>Idempotence: the task id is a function of the snapshot and the attempt ({@link ExportTaskIds}). A
 * waiting export is first looked up by id, and {@code ExportTaskAlreadyExists} adopts the task, so a
 * crash between StartExportTask and saving the state never exports a snapshot twice.
 */
public final class ExportScheduler {

    private static final Logger log = LoggerFactory.getLogger(ExportScheduler.class);

    private final RdsExports rds;
    private final ExportStateStore store;
    private final ExportEventPublisher publisher;
    private final ExportEvents events;
    private final ExportSchedulerProperties properties;
    private final Clock clock;
    private final SchedulerTimer timer;
    private final ExportMetrics metrics;

    /** By {@link #stateKey}; guarded by {@code this}. */
    private final Map<String, TrackedExport> exports = new HashMap<>();
    /** Waiting snapshots are not tried before this, unless a slot of ours frees; guarded by {@code this}. */
    private Instant nextSlotCheckAt = Instant.MIN;
    /** Input partitions assigned to this replica whose states are not read back yet; guarded by {@code this}. */
    private final Map<Integer, PendingRestore> restoring = new HashMap<>();

    public ExportScheduler(RdsExports rds, ExportStateStore store, ExportEventPublisher publisher, ExportEvents events,
            ExportSchedulerProperties properties, Clock clock, SchedulerTimer timer, MeterRegistry meters) {
        this.rds = rds;
        this.store = store;
        this.publisher = publisher;
        this.events = events;
        this.properties = properties;
        this.clock = clock;
        this.timer = timer;
        this.metrics = new ExportMetrics(meters, () -> count(ExportTaskStatus.WAITING), () -> count(ExportTaskStatus.IN_PROGRESS));
    }

    /** The key of a snapshot's state: one per snapshot, prefixed by the input's record key. */
    public static String stateKey(SnapshotRef snapshot) {
        return SnapshotKeys.recordKey(snapshot) + "/" + snapshot.getSnapshotArn();
    }

    /** Starts the loop. */
    public void start() {
        wakeUp();
    }

    /**
     * Records a request for an export and returns; called on the consumer thread.
     *
     * @param partition the input partition the request came from: the state goes to the same partition
     */
    public synchronized void request(SnapshotCreated created, int partition) {
        if (restoring.containsKey(partition)) {
            throw new StateNotRestoredException(partition);
        }
        SnapshotRef snapshot = created.getSnapshot();
        EventMetadata input = created.getMetadata();
        TrackedExport existing = exports.get(stateKey(snapshot));
        if (existing == null) {
            newAttempt(created, partition, 1);
            return;
        }
        ExportTaskState state = existing.state;
        boolean sameRequest = state.getRequest().getEventId().equals(input.getEventId());
        switch (state.getStatus()) {
            case COMPLETED -> {
                if (created.getForceExport() && !sameRequest) {
                    newAttempt(created, partition, state.getAttempt() + 1);
                } else {
                    log.info("Snapshot {} was exported by {}: emitting ExportCompleted again, no new export",
                            snapshot.getSnapshotId(), state.getExportTaskId());
                    publisher.exportCompleted(events.completed(withRequest(state, input)));
                }
            }
            case FAILED -> {
                if (!sameRequest && (created.getForceExport() || input.getReplayOf() != null)) {
                    newAttempt(created, partition, state.getAttempt() + 1);
                } else {
                    log.info("Snapshot {} already failed ({}); replay it to try again", snapshot.getSnapshotId(),
                            state.getFailureReason());
                }
            }
            default -> log.info("Snapshot {} is already {} as {}; nothing to do", snapshot.getSnapshotId(),
                    state.getStatus(), state.getExportTaskId());
        }
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
        synchronized (this) {
            Instant now = clock.instant();
            partitions.forEach(partition -> restoring.put(partition, new PendingRestore(now)));
        }
        restorePending(clock.instant());
        wakeUp();
    }

    /** Reads back the states of the assigned partitions that are due; a failure is tried again later. */
    private void restorePending(Instant now) {
        Map<Integer, PendingRestore> due = new HashMap<>();
        synchronized (this) {
            restoring.forEach((partition, pending) -> {
                if (!pending.nextAttemptAt.isAfter(now)) {
                    due.put(partition, pending);
                }
            });
        }
        if (due.isEmpty()) {
            return;
        }
        Map<Integer, List<ExportTaskState>> restored;
        try {
            restored = store.restore(due.keySet());
        } catch (RuntimeException e) {
            synchronized (this) {
                due.forEach((partition, pending) -> {
                    if (restoring.get(partition) == pending) {
                        pending.failed(now, properties);
                    }
                });
            }
            metrics.restoreFailed();
            log.warn("Cannot read back the export states of input partitions {} ({}); their requests wait, trying again in {}",
                    due.keySet(), e.toString(), due.values().iterator().next().backoff);
            return;
        }
        synchronized (this) {
            due.forEach((partition, pending) -> {
                // Revoked (or assigned again) meanwhile: what was read is no longer this replica's to drive.
                if (restoring.get(partition) == pending) {
                    restoring.remove(partition);
                    adopt(partition, restored.getOrDefault(partition, List.of()));
                }
            });
        }
    }

    /** Takes over the exports of partitions this replica was just assigned, as read back from the state store. */
    public synchronized void adopt(int partition, Collection<ExportTaskState> states) {
        Instant now = clock.instant();
        for (ExportTaskState state : states) {
            exports.put(stateKey(state.getSnapshot()), new TrackedExport(state, partition, now, properties.pollInterval()));
        }
        log.info("Took over partition {}: {} exports ({} waiting, {} in progress)", partition, states.size(),
                states.stream().filter(s -> s.getStatus() == ExportTaskStatus.WAITING).count(),
                states.stream().filter(s -> s.getStatus() == ExportTaskStatus.IN_PROGRESS).count());
        nextSlotCheckAt = now;
        wakeUp();
    }

    /** Lets go of the exports of partitions this replica no longer owns (their new owner drives them). */
    public synchronized void release(Collection<Integer> partitions) {
        Set<Integer> released = Set.copyOf(partitions);
        exports.values().removeIf(export -> released.contains(export.partition));
        restoring.keySet().removeAll(released);
    }

    /** One pass of the loop: polls exports that are due, starts waiting ones while slots are free, plans the next pass. */
    public void tick() {
        Instant now = clock.instant();
        try {
            restorePending(now);
            pollDueExports(now);
            startWaitingExports(now);
        } finally {
            scheduleNextTick();
        }
    }

    /** What this replica tracks, by status (for tests and the benchmark). */
    public synchronized Map<ExportTaskStatus, List<ExportTaskState>> snapshotOfStates() {
        Map<ExportTaskStatus, List<ExportTaskState>> byStatus = new HashMap<>();
        exports.values().forEach(export -> byStatus.computeIfAbsent(export.state.getStatus(), s -> new java.util.ArrayList<>())
                .add(export.state));
        return byStatus;
    }

    private void newAttempt(SnapshotCreated created, int partition, int attempt) {
        SnapshotRef snapshot = created.getSnapshot();
        Instant now = clock.instant();
        Optional<ExportSettings> settings = properties.settingsFor(snapshot.getClusterId());
        ExportTaskState.Builder state = ExportTaskState.newBuilder()
                .setSnapshot(snapshot)
                .setRequest(created.getMetadata())
                .setAttempt(attempt)
                .setExportTaskId(ExportTaskIds.forSnapshot(snapshot, attempt))
                .setRequestedAt(now.truncatedTo(ChronoUnit.MILLIS))
                .setStatus(ExportTaskStatus.WAITING);
        if (settings.isEmpty()) {
            ExportTaskState failed = state.setBucket("").setIamRoleArn("").setKmsKeyId("")
                    .setStatus(ExportTaskStatus.FAILED)
                    .setFailureReason("CLUSTER_NOT_CONFIGURED")
                    .setFailureMessage("No export settings for cluster " + snapshot.getClusterId()
                            + ": configure snaplake.export-scheduler.clusters." + snapshot.getClusterId()
                            + " or complete the defaults (bucket, kms-key-id, iam-role-arn), then replay the snapshot")
                    .setFinishedAt(now.truncatedTo(ChronoUnit.MILLIS))
                    .build();
            publisher.exportFailed(events.failed(failed, Map.of()));
            store.save(failed, partition);
            metrics.failed();
            exports.put(stateKey(snapshot), new TrackedExport(failed, partition, now, properties.pollInterval()));
            return;
        }
        ExportSettings export = settings.get();
        ExportTaskState waiting = state.setBucket(export.bucket())
                .setPrefix(ExportPrefixes.forSnapshot(export.prefix(), snapshot))
                .setIamRoleArn(export.iamRoleArn())
                .setKmsKeyId(export.kmsKeyId())
                .setExportOnly(export.exportOnly())
                .build();
        store.save(waiting, partition);
        exports.put(stateKey(snapshot), new TrackedExport(waiting, partition, now, properties.pollInterval()));
        log.info("Snapshot {} waits for an export slot as {}", snapshot.getSnapshotId(), waiting.getExportTaskId());
        wakeUp();
    }

    private void pollDueExports(Instant now) {
        List<TrackedExport> due;
        boolean someoneWaits;
        synchronized (this) {
            due = exports.values().stream()
                    .filter(export -> export.state.getStatus() == ExportTaskStatus.IN_PROGRESS && !export.nextCheckAt.isAfter(now))
                    .toList();
            someoneWaits = exports.values().stream().anyMatch(export -> export.state.getStatus() == ExportTaskStatus.WAITING);
        }
        for (TrackedExport export : due) {
            Optional<ExportTask> task;
            try {
                task = rds.find(export.state.getExportTaskId());
            } catch (RdsExportException e) {
                retryLater(export, now, "DescribeExportTasks", e);
                continue;
            }
            try {
                synchronized (this) {
                    if (owns(export)) {
                        applyPoll(export, task, now, someoneWaits);
                    }
                }
            } catch (RuntimeException e) {
                retryLater(export, now, "recording the export's progress", e);
            }
        }
    }

    private void applyPoll(TrackedExport export, Optional<ExportTask> found, Instant now, boolean someoneWaits) {
        String taskId = export.state.getExportTaskId();
        if (found.isEmpty()) {
            // Describe right after a start can lag behind (eventual consistency): look again later.
            log.warn("Export task {} is not listed by DescribeExportTasks yet", taskId);
            export.pollAgain(now, properties, someoneWaits);
            return;
        }
        ExportTask task = found.get();
        export.failures = 0;
        if (task.percentProgress() != export.lastProgress) {
            log.info("Export {} of {}: {} {}%", taskId, export.state.getSnapshot().getSnapshotId(), task.status(),
                    task.percentProgress());
            export.lastProgress = task.percentProgress();
        }
        metrics.progress(export.state.getSnapshot().getClusterId(), task.percentProgress());
        switch (task.status()) {
            case COMPLETE -> complete(export, task, now);
            case FAILED, CANCELED -> fail(export, "EXPORT_" + task.status(),
                    "Export task " + taskId + " ended " + task.status() + ": "
                            + Optional.ofNullable(task.failureCause()).orElse("(AWS gave no cause)"),
                    task.failureCause() == null ? Map.of() : Map.of("failureCause", task.failureCause()), now);
            default -> export.pollAgain(now, properties, someoneWaits);
        }
    }

    private void complete(TrackedExport export, ExportTask task, Instant now) {
        ExportTaskState completed = copyOf(export.state)
                .setStatus(ExportTaskStatus.COMPLETED)
                .setFinishedAt(Optional.ofNullable(task.endTime()).orElse(now).truncatedTo(ChronoUnit.MILLIS))
                .setTotalExtractedDataInGb(task.totalExtractedDataInGb())
                .setWarningMessage(task.warningMessage())
                .build();
        // Event first, then state: a crash in between polls again and emits the same event (same id).
        publisher.exportCompleted(events.completed(completed));
        store.save(completed, export.partition);
        export.state = completed;
        metrics.completed();
        nextSlotCheckAt = now;
        log.info("Export {} of {} complete: {}", completed.getExportTaskId(), completed.getSnapshot().getSnapshotId(),
                ExportPrefixes.exportLocation(completed.getBucket(), completed.getPrefix(), completed.getExportTaskId()));
    }

    private void fail(TrackedExport export, String reason, String message, Map<String, String> details, Instant now) {
        ExportTaskState failed = copyOf(export.state)
                .setStatus(ExportTaskStatus.FAILED)
                .setFailureReason(reason)
                .setFailureMessage(message)
                .setFinishedAt(now.truncatedTo(ChronoUnit.MILLIS))
                .build();
        publisher.exportFailed(events.failed(failed, details));
        store.save(failed, export.partition);
        boolean heldASlot = export.state.getStatus() == ExportTaskStatus.IN_PROGRESS;
        export.state = failed;
        metrics.failed();
        if (heldASlot) {
            nextSlotCheckAt = now;
        }
        log.warn("Export of {} failed ({}): {}", failed.getSnapshot().getSnapshotId(), reason, message);
    }

    private void startWaitingExports(Instant now) {
        List<TrackedExport> waiting;
        synchronized (this) {
            if (nextSlotCheckAt.isAfter(now)) {
                return;
            }
            waiting = exports.values().stream()
                    .filter(export -> export.state.getStatus() == ExportTaskStatus.WAITING && !export.nextCheckAt.isAfter(now))
                    .sorted(SNAPSHOT_TIME_ORDER)
                    .toList();
            if (waiting.isEmpty()) {
                return;
            }
        }
        int free;
        try {
            free = properties.maxConcurrentExports() - rds.countInProgress();
        } catch (RdsExportException e) {
            log.warn("Cannot count the exports in progress ({}: {}); trying again later", e.errorCode(), e.getMessage());
            synchronized (this) {
                nextSlotCheckAt = now.plus(properties.retryInitialBackoff());
            }
            return;
        }
        for (TrackedExport export : waiting) {
            if (free <= 0) {
                pollSoonerWhileSnapshotsWait(now);
                break;
            }
            try {
                Optional<ExportTask> previous = rds.find(export.state.getExportTaskId());
                ExportTask task = previous.isPresent() ? previous.get() : startOrAdopt(export);
                synchronized (this) {
                    if (owns(export)) {
                        markStarted(export, task, now);
                    }
                }
                if (previous.isEmpty()) {
                    free--;
                }
            } catch (RdsExportException.LimitReached e) {
                metrics.limitReached();
                log.info("Export limit reached ({}); {} waits for a slot", e.getMessage(), export.state.getSnapshot().getSnapshotId());
                pollSoonerWhileSnapshotsWait(now);
                break;
            } catch (RdsExportException.Permanent e) {
                synchronized (this) {
                    if (owns(export)) {
                        fail(export, e.reason(), "StartExportTask for " + export.state.getSnapshot().getSnapshotArn()
                                + " was refused: " + e.errorCode() + ": " + e.getMessage(),
                                Map.of("awsErrorCode", e.errorCode()), now);
                    }
                }
            } catch (RuntimeException e) {
                retryLater(export, now, "starting the export", e);
            }
        }
    }

    /**
     * No slot is free: slots are counted again after a poll interval, or as soon as one of our exports ends;
     * our own exports are polled at the base interval again, to see that soon.
     */
    private synchronized void pollSoonerWhileSnapshotsWait(Instant now) {
        Instant soon = now.plus(properties.pollInterval());
        nextSlotCheckAt = soon;
        for (TrackedExport export : exports.values()) {
            if (export.state.getStatus() == ExportTaskStatus.IN_PROGRESS && export.nextCheckAt.isAfter(soon)) {
                export.nextCheckAt = soon;
                export.pollDelay = properties.pollInterval();
            }
        }
    }

    private ExportTask startOrAdopt(TrackedExport export) {
        ExportTaskState state = export.state;
        try {
            return rds.start(new StartExportRequest(state.getExportTaskId(), state.getSnapshot().getSnapshotArn(),
                    state.getBucket(), state.getPrefix(), state.getIamRoleArn(), state.getKmsKeyId(), state.getExportOnly()));
        } catch (RdsExportException.AlreadyExists e) {
            log.info("Export task {} exists already: adopting it", state.getExportTaskId());
            return rds.find(state.getExportTaskId()).orElseThrow(() -> new RdsExportException.Transient(e.errorCode(),
                    "task " + state.getExportTaskId() + " exists but is not listed yet", e));
        }
    }

    private void markStarted(TrackedExport export, ExportTask task, Instant now) {
        ExportTaskState started = copyOf(export.state)
                .setStatus(ExportTaskStatus.IN_PROGRESS)
                .setStartedAt(now.truncatedTo(ChronoUnit.MILLIS))
                .build();
        // Event first, then state: a crash in between finds the task by id and emits the same event again.
        publisher.exportStarted(events.started(started));
        store.save(started, export.partition);
        export.state = started;
        export.failures = 0;
        export.pollDelay = properties.pollInterval();
        export.nextCheckAt = task.status().isTerminal() ? now : now.plus(properties.pollInterval());
        metrics.started();
        log.info("Export {} of {} started after waiting {}", started.getExportTaskId(),
                started.getSnapshot().getSnapshotId(), Duration.between(started.getRequestedAt(), now));
    }

    private void retryLater(TrackedExport export, Instant now, String what, RuntimeException e) {
        synchronized (this) {
            export.failures++;
            long factor = 1L << Math.min(export.failures - 1, 20);
            Duration backoff = properties.retryInitialBackoff().multipliedBy(factor);
            if (backoff.compareTo(properties.retryMaxBackoff()) > 0) {
                backoff = properties.retryMaxBackoff();
            }
            export.nextCheckAt = now.plus(backoff);
            String code = e instanceof RdsExportException aws ? aws.errorCode() + ": " : "";
            log.warn("{} for {} failed ({}{}); retry {} in {}", what, export.state.getExportTaskId(), code, e.getMessage(),
                    export.failures, backoff);
        }
    }

    private void scheduleNextTick() {
        Optional<Instant> next;
        synchronized (this) {
            next = exports.values().stream()
                    .flatMap(export -> switch (export.state.getStatus()) {
                        case IN_PROGRESS -> Stream.of(export.nextCheckAt);
                        case WAITING -> Stream.of(export.nextCheckAt.isAfter(nextSlotCheckAt) ? export.nextCheckAt : nextSlotCheckAt);
                        default -> Stream.empty();
                    })
                    .min(Comparator.naturalOrder());
            Optional<Instant> nextRestore = restoring.values().stream().map(pending -> pending.nextAttemptAt).min(Comparator.naturalOrder());
            if (nextRestore.isPresent() && (next.isEmpty() || nextRestore.get().isBefore(next.get()))) {
                next = nextRestore;
            }
        }
        next.ifPresent(when -> timer.runAt(when, this::tick));
    }

    private void wakeUp() {
        timer.runAt(clock.instant(), this::tick);
    }

    private boolean owns(TrackedExport export) {
        return exports.get(stateKey(export.state.getSnapshot())) == export;
    }

    private synchronized int count(ExportTaskStatus status) {
        return (int) exports.values().stream().filter(export -> export.state.getStatus() == status).count();
    }

    private static ExportTaskState withRequest(ExportTaskState state, EventMetadata request) {
        return copyOf(state).setRequest(request).build();
    }

    /**
     * A builder holding the same values, without the deep copy of {@code ExportTaskState.newBuilder(state)}
     * (Avro 1.12.2's deep copy loads nested classes by name and refuses them unless trusted globally).
     */
    private static ExportTaskState.Builder copyOf(ExportTaskState state) {
        return ExportTaskState.newBuilder()
                .setSnapshot(state.getSnapshot())
                .setRequest(state.getRequest())
                .setStatus(state.getStatus())
                .setAttempt(state.getAttempt())
                .setExportTaskId(state.getExportTaskId())
                .setBucket(state.getBucket())
                .setPrefix(state.getPrefix())
                .setIamRoleArn(state.getIamRoleArn())
                .setKmsKeyId(state.getKmsKeyId())
                .setExportOnly(state.getExportOnly())
                .setRequestedAt(state.getRequestedAt())
                .setStartedAt(state.getStartedAt())
                .setFinishedAt(state.getFinishedAt())
                .setTotalExtractedDataInGb(state.getTotalExtractedDataInGb())
                .setWarningMessage(state.getWarningMessage())
                .setFailureReason(state.getFailureReason())
                .setFailureMessage(state.getFailureMessage());
    }

    /** Oldest snapshot first: by creation time when known, else by the snapshot's day; then by request time. */
    private static final Comparator<TrackedExport> SNAPSHOT_TIME_ORDER = Comparator
            .comparing((TrackedExport export) -> snapshotTime(export.state.getSnapshot()))
            .thenComparing(export -> export.state.getRequestedAt())
            .thenComparing(export -> export.state.getExportTaskId());

    private static Instant snapshotTime(SnapshotRef snapshot) {
        return snapshot.getSnapshotCreatedAt() != null
                ? snapshot.getSnapshotCreatedAt()
                : snapshot.getSnapshotDate().atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    /** An assigned partition whose states are still to be read back. Fields are guarded by the scheduler's lock. */
    private static final class PendingRestore {
        Instant nextAttemptAt;
        Duration backoff = Duration.ZERO;

        PendingRestore(Instant now) {
            this.nextAttemptAt = now;
        }

        void failed(Instant now, ExportSchedulerProperties properties) {
            Duration doubled = backoff.isZero() ? properties.retryInitialBackoff() : backoff.multipliedBy(2);
            backoff = doubled.compareTo(properties.retryMaxBackoff()) > 0 ? properties.retryMaxBackoff() : doubled;
            nextAttemptAt = now.plus(backoff);
        }
    }

    /** One snapshot's export as this replica drives it. Fields are guarded by the scheduler's lock. */
    private static final class TrackedExport {
        ExportTaskState state;
        final int partition;
        Instant nextCheckAt;
        Duration pollDelay;
        int failures;
        int lastProgress = -1;

        TrackedExport(ExportTaskState state, int partition, Instant nextCheckAt, Duration pollDelay) {
            this.state = state;
            this.partition = partition;
            this.nextCheckAt = nextCheckAt;
            this.pollDelay = pollDelay;
        }

        /** Polls at the base interval while a slot matters to someone, backing off otherwise. */
        void pollAgain(Instant now, ExportSchedulerProperties properties, boolean someoneWaits) {
            if (someoneWaits) {
                pollDelay = properties.pollInterval();
            } else {
                Duration longer = Duration.ofMillis((long) (pollDelay.toMillis() * properties.pollBackoffMultiplier()));
                pollDelay = longer.compareTo(properties.maxPollInterval()) > 0 ? properties.maxPollInterval() : longer;
            }
            nextCheckAt = now.plus(pollDelay);
        }
    }
}
