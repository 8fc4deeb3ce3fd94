package io.snaplake.exportscheduler.domain;

import io.snaplake.events.ExportTaskState;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the states of exports that ended at least the state retention ago (a tombstone on the compacted
 * topic), so memory and read-back time stay bounded. A request for such a snapshot is then refused by its age
 * ({@link ExportStateMachine#onRequest}); the cluster's durations live on in its newer states.
 */
final class StateExpiry {

    private static final Logger log = LoggerFactory.getLogger(StateExpiry.class);

    private final ExportTracker tracker;
    private final ExportStateStore store;
    private final SchedulerSettings settings;
    private final ExportMetrics metrics;
    /** Expired states are not looked for before this (a tombstone could not be written: try again later). */
    private volatile Instant retryAt = Instant.MIN;

    StateExpiry(ExportTracker tracker, ExportStateStore store, SchedulerSettings settings, ExportMetrics metrics) {
        this.tracker = tracker;
        this.store = store;
        this.settings = settings;
        this.metrics = metrics;
    }

    void expire(Instant now) {
        if (now.isBefore(retryAt)) {
            return;
        }
        for (TrackedExport export : tracker.expired(now, settings.stateRetention())) {
            ExportTaskState expired = export.state;
            try {
                store.delete(expired.getSnapshot(), export.partition);
            } catch (RuntimeException e) {
                retryAt = now.plus(settings.retry().initialBackoff());
                log.warn("Could not delete the expired export state of {} ({}); trying again in {}",
                        expired.getSnapshot().getSnapshotId(), e.toString(), settings.retry().initialBackoff());
                return;
            }
            if (tracker.forget(export, expired)) {
                metrics.stateExpired();
                log.info("Export state of {} ({} {}) expired after {}", expired.getSnapshot().getSnapshotId(),
                        expired.getExportTaskId(), expired.getStatus(), settings.stateRetention());
            }
        }
    }

    /** When the next state expires (not before a failed deletion's retry), if any. */
    Optional<Instant> nextAt() {
        return tracker.nextExpiryAt(settings.stateRetention()).map(when -> when.isBefore(retryAt) ? retryAt : when);
    }
}
