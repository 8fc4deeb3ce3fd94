package io.snaplake.exportscheduler.domain;

import io.snaplake.events.ExportTaskState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts waiting exports, in the {@link WaitingOrder}, while the account has free slots; an export AWS refuses
 * for good fails, one refused for a passing reason is tried again later.
 */
final class WaitingExports {

    private static final Logger log = LoggerFactory.getLogger(WaitingExports.class);

    private final ExportTracker tracker;
    private final SlotAllocator slots;
    private final ExportTransitions transitions;
    private final ExpiryWarnings expiryWarnings;
    private final SchedulingPolicy policy;
    private final SchedulerSettings settings;
    private final ExportMetrics metrics;

    WaitingExports(ExportTracker tracker, SlotAllocator slots, ExportTransitions transitions, ExpiryWarnings expiryWarnings,
            SchedulingPolicy policy, SchedulerSettings settings, ExportMetrics metrics) {
        this.tracker = tracker;
        this.slots = slots;
        this.transitions = transitions;
        this.expiryWarnings = expiryWarnings;
        this.policy = policy;
        this.settings = settings;
        this.metrics = metrics;
    }

    void startDue(Instant now) {
        if (!slots.mayCheck(now)) {
            return;
        }
        List<WaitingOrder.Candidate> waiting = tracker.waitingDue(now, policy, settings.maxConcurrentExports());
        if (waiting.isEmpty()) {
            return;
        }
        int free;
        try {
            free = slots.freeSlots();
        } catch (RdsExportException e) {
            log.warn("Cannot count the exports in progress ({}: {}); trying again in {}", e.errorCode(), e.getMessage(),
                    settings.retry().initialBackoff());
            slots.checkAgainAt(now.plus(settings.retry().initialBackoff()));
            return;
        }
        expiryWarnings.warnOfExpiryBeforeASlot(waiting, free, now);
        for (WaitingOrder.Candidate candidate : waiting) {
            if (free <= 0) {
                noSlotFree(now);
                break;
            }
            TrackedExport export = candidate.export();
            ExportTaskState state = export.state;
            try {
                SlotAllocator.Started started = slots.startOrAdopt(state);
                transitions.started(export, state, started.task(), now);
                if (started.tookASlot()) {
                    free--;
                }
            } catch (RdsExportException.LimitReached e) {
                metrics.limitReached();
                log.info("Export limit reached ({}); {} waits for a slot", e.getMessage(), state.getSnapshot().getSnapshotId());
                noSlotFree(now);
                break;
            } catch (RdsExportException.Permanent e) {
                transitions.failed(export, state, e.reason(), "StartExportTask for " + state.getSnapshot().getSnapshotArn()
                        + " was refused: " + e.errorCode() + ": " + e.getMessage(), Map.of("awsErrorCode", e.errorCode()), now);
            } catch (RuntimeException e) {
                transitions.retryLater(export, now, "starting the export", e);
            }
        }
    }

    /** Slots are counted again after a poll interval, or as soon as one of our exports ends. */
    private void noSlotFree(Instant now) {
        Instant soon = now.plus(settings.pollInterval());
        slots.checkAgainAt(soon);
        tracker.pollRunningBy(soon);
    }
}
