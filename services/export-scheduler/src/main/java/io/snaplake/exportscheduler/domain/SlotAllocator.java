package io.snaplake.exportscheduler.domain;

import io.snaplake.events.ExportTaskState;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The account's export slots. AWS is the source of truth: before starting, the loop counts the account's
 * exports that hold a slot (whoever started them) and starts at most the free number, in the
 * {@link WaitingOrder}; an {@code ExportTaskLimitReachedFault} (another replica was faster) just means "wait". Slots are
 * counted again when one of this replica's exports ends, or after a poll interval (a slot freed elsewhere).
 */
final class SlotAllocator {

    private static final Logger log = LoggerFactory.getLogger(SlotAllocator.class);

    private final RdsExports rds;
    private final int maxConcurrentExports;
    /** Waiting snapshots are not tried before this, unless a slot of ours frees. */
    private volatile Instant nextCheckAt = Instant.MIN;

    SlotAllocator(RdsExports rds, int maxConcurrentExports) {
        this.rds = rds;
        this.maxConcurrentExports = maxConcurrentExports;
    }

    boolean mayCheck(Instant now) {
        return !nextCheckAt.isAfter(now);
    }

    Instant nextCheckAt() {
        return nextCheckAt;
    }

    /** One of our exports ended (or a partition was taken over): count the slots at the next pass. */
    void slotFreed(Instant now) {
        nextCheckAt = now;
    }

    void checkAgainAt(Instant when) {
        nextCheckAt = when;
    }

    /** How many exports may start now (DescribeExportTasks, outside any lock). */
    int freeSlots() {
        return maxConcurrentExports - rds.countInProgress();
    }

    /**
     * The export's task: found by its id (started before: a crash, another replica), else started, else
     * adopted when StartExportTask says it exists.
     *
     * @return the task, and whether this call took a new slot
     */
    Started startOrAdopt(ExportTaskState state) {
        var previous = describe(state.getExportTaskId());
        if (previous.isPresent()) {
            return new Started(previous.get(), false);
        }
        try {
            return new Started(rds.start(new StartExportRequest(state.getExportTaskId(), state.getSnapshot().getSnapshotArn(),
                    state.getBucket(), state.getPrefix(), state.getIamRoleArn(), state.getKmsKeyId(), state.getExportOnly())), true);
        } catch (RdsExportException.AlreadyExists e) {
            log.info("Export task {} exists already: adopting it", state.getExportTaskId());
            return new Started(describe(state.getExportTaskId()).orElseThrow(() -> new RdsExportException.Transient(e.errorCode(),
                    "task " + state.getExportTaskId() + " exists but is not listed yet", e)), false);
        }
    }

    /**
     * DescribeExportTasks. Its errors say nothing about the export itself (it only reads), so none of them
     * fails the export: every one is retried.
     */
    private java.util.Optional<ExportTask> describe(String exportTaskId) {
        try {
            return rds.find(exportTaskId);
        } catch (RdsExportException.Permanent e) {
            throw new RdsExportException.Transient(e.errorCode(), "DescribeExportTasks: " + e.getMessage(), e);
        }
    }

    record Started(ExportTask task, boolean tookASlot) {
    }
}
