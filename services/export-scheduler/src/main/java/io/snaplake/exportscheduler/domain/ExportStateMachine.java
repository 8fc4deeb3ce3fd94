package io.snaplake.exportscheduler.domain;

import io.snaplake.events.EventMetadata;
import io.snaplake.events.ExportTaskState;
import io.snaplake.events.ExportTaskStatus;
import io.snaplake.events.SnapshotCreated;
import io.snaplake.events.SnapshotRef;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * An export's states and the moves between them, as pure functions (no I/O, no clock, no lock):
 * {@code WAITING -> IN_PROGRESS -> COMPLETED | FAILED}, a request refused at once is {@code FAILED}, and
 * a request for a snapshot already known is decided by {@link #onRequest}.
 */
final class ExportStateMachine {

    private ExportStateMachine() {
    }

    /** What a SnapshotCreated asks for, given the snapshot's current state. */
    sealed interface Decision {
        /** Start export attempt {@code attempt} (1 for a snapshot never seen). */
        record NewAttempt(int attempt) implements Decision {
        }

        /** The snapshot is exported: say so again (a replay, a redelivery); no new export. */
        record CompletedAgain(ExportTaskState completed) implements Decision {
        }

        /** Nothing to do (waiting or running, or failed and not asked to try again). */
        record Nothing(String why) implements Decision {
        }
    }

    /**
     * @param oldestWithState snapshots taken before this may have had a state that expired (the state
     *                        retention ago): with no state, they are exported only when forced. A state
     *                        expires at least the retention after its snapshot was taken, so this keeps "never
     *                        a second export of an exported snapshot" after expiry.
     */
    static Decision onRequest(ExportTaskState current, SnapshotCreated created, Instant oldestWithState) {
        if (current == null) {
            if (!created.getForceExport() && WaitingOrder.snapshotTime(created.getSnapshot()).isBefore(oldestWithState)) {
                return new Decision.Nothing("the snapshot is older than the state retention, so an export of it may have"
                        + " been forgotten: not exported again unless forced (--force-export)");
            }
            return new Decision.NewAttempt(1);
        }
        EventMetadata input = created.getMetadata();
        boolean sameRequest = current.getRequest().getEventId().equals(input.getEventId());
        return switch (current.getStatus()) {
            case COMPLETED -> created.getForceExport() && !sameRequest
                    ? new Decision.NewAttempt(current.getAttempt() + 1)
                    : new Decision.CompletedAgain(copyOf(current).setRequest(input).build());
            case FAILED -> !sameRequest && (created.getForceExport() || input.getReplayOf() != null)
                    ? new Decision.NewAttempt(current.getAttempt() + 1)
                    : new Decision.Nothing("it already failed (" + current.getFailureReason() + "); replay it to try again");
            default -> new Decision.Nothing("it is already " + current.getStatus() + " as " + current.getExportTaskId());
        };
    }

    /** A new attempt, waiting for a slot; or FAILED at once when the cluster has no export settings. */
    static ExportTaskState newAttempt(SnapshotCreated created, int attempt, Optional<ExportSettings> settings,
            List<Long> previousExportMillis, Instant now) {
        SnapshotRef snapshot = created.getSnapshot();
        ExportTaskState.Builder state = ExportTaskState.newBuilder()
                .setSnapshot(snapshot)
                .setPreviousExportMillis(previousExportMillis)
                .setAllocatedStorageGb(created.getAllocatedStorageGb())
                .setRequest(created.getMetadata())
                .setAttempt(attempt)
                .setExportTaskId(ExportTaskIds.forSnapshot(snapshot, attempt))
                .setRequestedAt(millis(now))
                .setStatus(ExportTaskStatus.WAITING);
        if (settings.isEmpty()) {
            return state.setBucket("").setIamRoleArn("").setKmsKeyId("")
                    .setStatus(ExportTaskStatus.FAILED)
                    .setFailureReason("CLUSTER_NOT_CONFIGURED")
                    .setFailureMessage("No export settings for cluster " + snapshot.getClusterId()
                            + ": configure snaplake.export-scheduler.clusters." + snapshot.getClusterId()
                            + " or complete the defaults (bucket, kms-key-id, iam-role-arn), then replay the snapshot")
                    .setFinishedAt(millis(now))
                    .build();
        }
        ExportSettings export = settings.get();
        return state.setBucket(export.bucket())
                .setPrefix(ExportPrefixes.forSnapshot(export.prefix(), snapshot))
                .setIamRoleArn(export.iamRoleArn())
                .setKmsKeyId(export.kmsKeyId())
                .setExportOnly(export.exportOnly())
                .build();
    }

    static ExportTaskState started(ExportTaskState waiting, Instant now) {
        return copyOf(waiting).setStatus(ExportTaskStatus.IN_PROGRESS).setStartedAt(millis(now)).build();
    }

    /** @param previousExportMillis the cluster's durations before this export, as known now */
    static ExportTaskState completed(ExportTaskState running, ExportTask task, List<Long> previousExportMillis, Instant now) {
        return copyOf(running)
                .setStatus(ExportTaskStatus.COMPLETED)
                .setPreviousExportMillis(previousExportMillis)
                .setFinishedAt(millis(Optional.ofNullable(task.endTime()).orElse(now)))
                .setTotalExtractedDataInGb(task.totalExtractedDataInGb())
                .setWarningMessage(task.warningMessage())
                .build();
    }

    static ExportTaskState failed(ExportTaskState state, String reason, String message, Instant now) {
        return copyOf(state)
                .setStatus(ExportTaskStatus.FAILED)
                .setFailureReason(reason)
                .setFailureMessage(message)
                .setFinishedAt(millis(now))
                .build();
    }

    private static Instant millis(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MILLIS);
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
                .setFailureMessage(state.getFailureMessage())
                .setPreviousExportMillis(state.getPreviousExportMillis())
                .setAllocatedStorageGb(state.getAllocatedStorageGb());
    }
}
