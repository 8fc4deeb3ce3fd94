package io.snaplake.exportscheduler;

import io.snaplake.events.EventMetadata;
import io.snaplake.events.ExportCompleted;
import io.snaplake.events.ExportStarted;
import io.snaplake.events.PipelineFailure;
import io.snaplake.events.PipelineStage;
import io.snaplake.events.SnapshotCreated;
import io.snaplake.events.SnapshotRef;
import io.snaplake.exportscheduler.domain.ExportTaskIds;
import io.snaplake.pipeline.EventMetadataFactory;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The events the scheduler is expected to emit for a request's first export attempt, written out field by field
 * (object mother), with the export settings every test configures.
 */
public final class ExpectedEvents {

    public static final String BUCKET = "lake-exports";
    public static final String KMS_KEY_ID = "arn:aws:kms:us-east-1:123456789012:key/export";
    public static final String IAM_ROLE_ARN = "arn:aws:iam::123456789012:role/rds-export";

    private ExpectedEvents() {
    }

    public static String taskId(SnapshotCreated request) {
        return ExportTaskIds.forSnapshot(request.getSnapshot(), 1);
    }

    /** The scheduler's event metadata factory, stopped at {@code at}. */
    public static EventMetadataFactory metadataAt(Instant at) {
        return new EventMetadataFactory("export-scheduler", Clock.fixed(at, ZoneOffset.UTC));
    }

    /** The ExportStarted emitted at {@code at}, the export written under {@code prefix}, after no wait. */
    public static ExportStarted.Builder started(SnapshotCreated request, String prefix, Instant at) {
        return ExportStarted.newBuilder()
                .setMetadata(metadataAt(at).following(request.getMetadata(), "ExportStarted", taskId(request)))
                .setSnapshot(request.getSnapshot())
                .setExportTaskId(taskId(request))
                .setBucket(BUCKET)
                .setPrefix(prefix)
                .setIamRoleArn(IAM_ROLE_ARN)
                .setKmsKeyId(KMS_KEY_ID)
                .setExportOnly(List.of())
                .setWaitedMillis(0);
    }

    /** The ExportCompleted emitted at {@code at}, with no warning; sizes and times are the caller's. */
    public static ExportCompleted.Builder completed(SnapshotCreated request, String prefix, Instant at) {
        return ExportCompleted.newBuilder()
                .setMetadata(metadataAt(at).following(request.getMetadata(), "ExportCompleted", taskId(request)))
                .setSnapshot(request.getSnapshot())
                .setExportTaskId(taskId(request))
                .setBucket(BUCKET)
                .setPrefix(prefix)
                .setWarningMessage(null);
    }

    /** {@code event} as emitted again with other metadata (a replay, a redelivery). */
    public static ExportCompleted withMetadata(ExportCompleted event, EventMetadata metadata) {
        ExportCompleted copy = new ExportCompleted();
        for (int field = 0; field < event.getSchema().getFields().size(); field++) {
            copy.put(field, event.get(field));
        }
        copy.setMetadata(metadata);
        return copy;
    }

    /** The PipelineFailure of a failed first attempt, emitted at {@code at}, with the export's details and {@code extraDetails}. */
    public static PipelineFailure failure(SnapshotCreated request, String prefix, Instant at, String reason, String message,
            Map<String, String> extraDetails) {
        SnapshotRef snapshot = request.getSnapshot();
        Map<String, String> details = new HashMap<>(Map.of("exportTaskId", taskId(request), "snapshotArn", snapshot.getSnapshotArn(),
                "bucket", BUCKET, "prefix", prefix, "attempt", "1"));
        details.putAll(extraDetails);
        return PipelineFailure.newBuilder()
                .setMetadata(metadataAt(at).following(request.getMetadata(), "PipelineFailure", taskId(request)))
                .setSnapshot(snapshot)
                .setStage(PipelineStage.EXPORT_SCHEDULER)
                .setReason(reason)
                .setMessage(message)
                .setRetryable(false)
                .setDetails(details)
                .build();
    }

    /** The warning, emitted at {@code at}, that the request's snapshot is predicted to get a slot only after it expires. */
    public static PipelineFailure expiryWarning(SnapshotCreated request, Instant at, Instant expiresAt, Instant slotAt) {
        SnapshotRef snapshot = request.getSnapshot();
        return PipelineFailure.newBuilder()
                .setMetadata(metadataAt(at).following(request.getMetadata(), "PipelineFailure", taskId(request), "expiry-warning"))
                .setSnapshot(snapshot)
                .setStage(PipelineStage.EXPORT_SCHEDULER)
                .setReason("SNAPSHOT_MAY_EXPIRE_BEFORE_EXPORT")
                .setMessage("Snapshot " + snapshot.getSnapshotId() + " expires at " + expiresAt
                        + " (its cluster's snapshot retention) but is predicted to get an export slot only at " + slotAt
                        + ": raise the cluster's priority, free export slots, or lengthen its backup retention")
                .setRetryable(true)
                .setDetails(Map.of("exportTaskId", taskId(request), "snapshotArn", snapshot.getSnapshotArn(),
                        "snapshotExpiresAt", expiresAt.toString(), "predictedSlotAt", slotAt.toString()))
                .build();
    }
}
