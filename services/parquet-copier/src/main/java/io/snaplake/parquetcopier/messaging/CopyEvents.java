package io.snaplake.parquetcopier.messaging;

import io.snaplake.events.ExportCompleted;
import io.snaplake.events.ParquetCopied;
import io.snaplake.events.PipelineFailure;
import io.snaplake.events.SkippedDatabase;
import io.snaplake.events.TableCopyResult;
import io.snaplake.events.TableCopyStatus;
import io.snaplake.parquetcopier.domain.ExportCopyReport;
import io.snaplake.parquetcopier.domain.LakeLayout;
import io.snaplake.parquetcopier.domain.TableReport;
import io.snaplake.pipeline.EventMetadataFactory;
import io.snaplake.pipeline.FailureEvents;
import io.snaplake.pipeline.Stage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Turns a copy report into the events the copier emits: always a ParquetCopied, and a PipelineFailure when incomplete. */
public final class CopyEvents {

    static final String PARQUET_COPIED = "ParquetCopied";
    static final String PIPELINE_FAILURE = "PipelineFailure";

    private final EventMetadataFactory metadata;

    public CopyEvents(EventMetadataFactory metadata) {
        this.metadata = metadata;
    }

    public ParquetCopied parquetCopied(ExportCompleted input, LakeLayout lake, ExportCopyReport report) {
        return ParquetCopied.newBuilder()
                .setMetadata(metadata.following(input.getMetadata(), PARQUET_COPIED))
                .setSnapshot(input.getSnapshot())
                .setExportTaskId(input.getExportTaskId())
                .setLakeBucket(lake.bucket())
                .setLakePrefix(lake.prefix())
                .setComplete(report.complete())
                .setTables(report.tables().stream().map(CopyEvents::tableResult).toList())
                .setSkippedDatabases(report.skippedDatabases().stream()
                        .map(skipped -> new SkippedDatabase(skipped.database(), skipped.warningMessage())).toList())
                .build();
    }

    /** A failure naming what could not be completed, or empty when the export was copied completely. */
    public Optional<PipelineFailure> failure(ExportCompleted input, ExportCopyReport report) {
        if (report.complete()) {
            return Optional.empty();
        }
        Map<String, String> details = new LinkedHashMap<>();
        details.put("exportTaskId", input.getExportTaskId());
        details.put("exportLocation", "s3://" + input.getBucket() + "/" + input.getPrefix());
        String target = "export " + input.getExportTaskId() + " of cluster " + input.getSnapshot().getClusterId()
                + " (" + input.getSnapshot().getSnapshotDate() + ")";
        if (report.exportProblem() != null) {
            return Optional.of(FailureEvents.failure(metadata.following(input.getMetadata(), PIPELINE_FAILURE),
                    input.getSnapshot(), Stage.PARQUET_COPIER, "EXPORT_UNREADABLE",
                    "parquet-copier could not read " + target + ": " + report.exportProblem(), false, details));
        }
        String failed = report.failedTables().stream().map(table -> table.database() + "." + table.table())
                .collect(Collectors.joining(","));
        details.put("failedTables", failed);
        String reasons = report.failedTables().stream()
                .map(table -> table.database() + "." + table.table() + ": " + table.message())
                .collect(Collectors.joining(" | "));
        return Optional.of(FailureEvents.failure(metadata.following(input.getMetadata(), PIPELINE_FAILURE),
                input.getSnapshot(), Stage.PARQUET_COPIER, "TABLE_COPY_FAILED",
                "parquet-copier could not complete " + report.failedTables().size() + " of " + report.tables().size()
                        + " tables of " + target + " (a re-run resumes without copying twice): " + reasons,
                true, details));
    }

    private static TableCopyResult tableResult(TableReport table) {
        return TableCopyResult.newBuilder()
                .setDatabase(table.database())
                .setTable(table.table())
                .setStatus(TableCopyStatus.valueOf(table.status().name()))
                .setExportStatus(table.exportStatus())
                .setLocation(table.location())
                .setFilesFound(table.filesFound())
                .setBytesFound(table.bytesFound())
                .setFilesCopied(table.filesCopied())
                .setBytesCopied(table.bytesCopied())
                .setFilesAlreadyPresent(table.filesAlreadyPresent())
                .setBytesAlreadyPresent(table.bytesAlreadyPresent())
                .setMessage(table.message())
                .build();
    }
}
