package io.snaplake.exportscheduler.domain;

import io.snaplake.events.ExportCompleted;
import io.snaplake.events.ExportStarted;
import io.snaplake.events.ExportTaskState;
import io.snaplake.events.PipelineFailure;
import io.snaplake.pipeline.EventMetadataFactory;
import io.snaplake.pipeline.FailureEvents;
import io.snaplake.pipeline.Stage;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds the scheduler's events from an export's state. Ids derive from the SnapshotCreated that asked
 * for the export and the task id, so an event emitted again (after a crash, on a replay) keeps its id.
 */
public final class ExportEvents {

    private final EventMetadataFactory metadata;

    public ExportEvents(EventMetadataFactory metadata) {
        this.metadata = metadata;
    }

    public ExportStarted started(ExportTaskState state) {
        return ExportStarted.newBuilder()
                .setMetadata(metadata.following(state.getRequest(), "ExportStarted", state.getExportTaskId()))
                .setSnapshot(state.getSnapshot())
                .setExportTaskId(state.getExportTaskId())
                .setBucket(state.getBucket())
                .setPrefix(state.getPrefix())
                .setIamRoleArn(state.getIamRoleArn())
                .setKmsKeyId(state.getKmsKeyId())
                .setExportOnly(state.getExportOnly())
                .setWaitedMillis(Duration.between(state.getRequestedAt(), state.getStartedAt()).toMillis())
                .build();
    }

    public ExportCompleted completed(ExportTaskState state) {
        return ExportCompleted.newBuilder()
                .setMetadata(metadata.following(state.getRequest(), "ExportCompleted", state.getExportTaskId()))
                .setSnapshot(state.getSnapshot())
                .setExportTaskId(state.getExportTaskId())
                .setBucket(state.getBucket())
                .setPrefix(state.getPrefix())
                .setTotalExtractedDataInGb(state.getTotalExtractedDataInGb())
                .setWarningMessage(state.getWarningMessage())
                .setStartedAt(state.getStartedAt())
                .setCompletedAt(state.getFinishedAt())
                .build();
    }

    /**
     * The warning that a waiting snapshot is predicted to get an export slot only after RDS deletes it:
     * a PipelineFailure (retryable: nothing failed yet) naming the snapshot, its expiry and the predicted slot.
     */
    public PipelineFailure mayExpireBeforeExport(ExportTaskState state, java.time.Instant expiresAt, java.time.Instant slotAt) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("exportTaskId", state.getExportTaskId());
        details.put("snapshotArn", state.getSnapshot().getSnapshotArn());
        details.put("snapshotExpiresAt", expiresAt.toString());
        details.put("predictedSlotAt", slotAt.toString());
        return FailureEvents.failure(
                metadata.following(state.getRequest(), "PipelineFailure", state.getExportTaskId(), "expiry-warning"),
                state.getSnapshot(), Stage.EXPORT_SCHEDULER, "SNAPSHOT_MAY_EXPIRE_BEFORE_EXPORT",
                "Snapshot " + state.getSnapshot().getSnapshotId() + " expires at " + expiresAt
                        + " (its cluster's snapshot retention) but is predicted to get an export slot only at " + slotAt
                        + ": raise the cluster's priority, free export slots, or lengthen its backup retention",
                true, details);
    }

    /** The failure event of an export whose state is FAILED, with its reason and message. */
    public PipelineFailure failed(ExportTaskState state, Map<String, String> extraDetails) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("exportTaskId", state.getExportTaskId());
        details.put("snapshotArn", state.getSnapshot().getSnapshotArn());
        details.put("bucket", state.getBucket());
        details.put("prefix", state.getPrefix());
        details.put("attempt", Integer.toString(state.getAttempt()));
        details.putAll(extraDetails);
        return FailureEvents.failure(
                metadata.following(state.getRequest(), "PipelineFailure", state.getExportTaskId()),
                state.getSnapshot(), Stage.EXPORT_SCHEDULER, state.getFailureReason(), state.getFailureMessage(),
                false, details);
    }
}
