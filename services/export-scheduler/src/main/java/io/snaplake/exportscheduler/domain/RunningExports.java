package io.snaplake.exportscheduler.domain;

import io.snaplake.events.ExportTaskState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls the exports in progress that are due (DescribeExportTasks) and moves each that ended to COMPLETED or
 * FAILED. Polling stays at the base interval while a snapshot waits for a slot, and backs off otherwise.
 */
final class RunningExports {

    private static final Logger log = LoggerFactory.getLogger(RunningExports.class);

    private final RdsExports rds;
    private final ExportTracker tracker;
    private final ExportTransitions transitions;
    private final SchedulerSettings settings;
    private final ExportMetrics metrics;

    RunningExports(RdsExports rds, ExportTracker tracker, ExportTransitions transitions, SchedulerSettings settings,
            ExportMetrics metrics) {
        this.rds = rds;
        this.tracker = tracker;
        this.transitions = transitions;
        this.settings = settings;
        this.metrics = metrics;
    }

    void pollDue(Instant now) {
        List<TrackedExport> due = tracker.dueForPoll(now);
        boolean someoneWaits = tracker.someoneWaits();
        for (TrackedExport export : due) {
            ExportTaskState polled = export.state;
            try {
                apply(export, polled, rds.find(polled.getExportTaskId()), now, someoneWaits);
            } catch (RdsExportException e) {
                transitions.retryLater(export, now, "DescribeExportTasks", e);
            } catch (RuntimeException e) {
                transitions.retryLater(export, now, "recording the export's progress", e);
            }
        }
    }

    private void apply(TrackedExport export, ExportTaskState polled, Optional<ExportTask> found, Instant now, boolean someoneWaits) {
        String taskId = polled.getExportTaskId();
        if (found.isEmpty()) {
            // Describe right after a start can lag behind (eventual consistency): look again later.
            log.warn("Export task {} is not listed by DescribeExportTasks yet", taskId);
            synchronized (tracker) {
                export.pollAgain(now, settings, someoneWaits);
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
            case COMPLETE -> transitions.completed(export, polled, task, now);
            case FAILED, CANCELED -> transitions.failed(export, polled, "EXPORT_" + task.status(),
                    "Export task " + taskId + " ended " + task.status() + ": "
                            + Optional.ofNullable(task.failureCause()).orElse("(AWS gave no cause)"),
                    task.failureCause() == null ? Map.of() : Map.of("failureCause", task.failureCause()), now);
            default -> {
                synchronized (tracker) {
                    export.pollAgain(now, settings, someoneWaits);
                }
            }
        }
    }
}
