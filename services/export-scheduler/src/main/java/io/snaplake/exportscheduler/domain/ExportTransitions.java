package io.snaplake.exportscheduler.domain;

import io.snaplake.events.ExportTaskState;
import io.snaplake.events.ExportTaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The moves of a tracked export that are written down: each is worked out from the export's state, written
 * (event first, then state) with no lock held, and applied in memory only if the export is still this
 * replica's and unchanged. Event first: a crash in between finds the same state and emits the same event
 * again, with the same id.
 */
final class ExportTransitions {

    private static final Logger log = LoggerFactory.getLogger(ExportTransitions.class);

    private final ExportStateStore store;
    private final ExportEventPublisher publisher;
    private final ExportEvents events;
    private final ExportTracker tracker;
    private final SlotAllocator slots;
    private final SchedulerSettings settings;
    private final ExportMetrics metrics;

    ExportTransitions(ExportStateStore store, ExportEventPublisher publisher, ExportEvents events, ExportTracker tracker,
            SlotAllocator slots, SchedulerSettings settings, ExportMetrics metrics) {
        this.store = store;
        this.publisher = publisher;
        this.events = events;
        this.tracker = tracker;
        this.slots = slots;
        this.settings = settings;
        this.metrics = metrics;
    }

    /** WAITING to IN_PROGRESS: the task was started or adopted. */
    void started(TrackedExport export, ExportTaskState waiting, ExportTask task, Instant now) {
        if (!tracker.owns(export)) {
            return;
        }
        ExportTaskState started = ExportStateMachine.started(waiting, now);
        publisher.exportStarted(events.started(started));
        store.save(started, export.partition);
        synchronized (tracker) {
            if (!tracker.update(export, waiting, started)) {
                return;
            }
            export.failures = 0;
            export.pollDelay = settings.pollInterval();
            export.nextCheckAt = task.status().isTerminal() ? now : now.plus(settings.pollInterval());
        }
        metrics.started();
        log.info("Export {} of {} started after waiting {}", started.getExportTaskId(),
                started.getSnapshot().getSnapshotId(), Duration.between(started.getRequestedAt(), now));
    }

    /** IN_PROGRESS to COMPLETED; its slot is free. */
    void completed(TrackedExport export, ExportTaskState running, ExportTask task, Instant now) {
        if (!tracker.owns(export)) {
            return;
        }
        ExportTaskState completed = ExportStateMachine.completed(running, task, tracker.durationsOf(running.getSnapshot()), now);
        publisher.exportCompleted(events.completed(completed));
        store.save(completed, export.partition);
        if (tracker.update(export, running, completed)) {
            metrics.completed();
            slots.slotFreed(now);
            log.info("Export {} of {} complete: {}", completed.getExportTaskId(), completed.getSnapshot().getSnapshotId(),
                    ExportPrefixes.exportLocation(completed.getBucket(), completed.getPrefix(), completed.getExportTaskId()));
        }
    }

    /** WAITING or IN_PROGRESS to FAILED, reported as a PipelineFailure with {@code details}. */
    void failed(TrackedExport export, ExportTaskState from, String reason, String message, Map<String, String> details, Instant now) {
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

    /** A call for the export failed for a reason that passes: it is tried again after a capped back-off. */
    void retryLater(TrackedExport export, Instant now, String what, RuntimeException e) {
        Duration backoff;
        int failures;
        synchronized (tracker) {
            backoff = export.backOff(now, settings);
            failures = export.failures;
        }
        String code = e instanceof RdsExportException aws ? aws.errorCode() + ": " : "";
        log.warn("{} for {} failed ({}{}); retry {} in {}", what, export.state.getExportTaskId(), code, e.getMessage(),
                failures, backoff);
    }
}
