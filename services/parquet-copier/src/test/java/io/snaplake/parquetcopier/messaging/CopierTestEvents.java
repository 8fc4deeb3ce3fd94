package io.snaplake.parquetcopier.messaging;

import static io.snaplake.parquetcopier.domain.WrittenExports.bytes;
import static io.snaplake.parquetcopier.domain.WrittenExports.files;
import static io.snaplake.parquetcopier.domain.WrittenExports.lakeLocation;

import io.snaplake.events.EventMetadata;
import io.snaplake.events.ExportCompleted;
import io.snaplake.events.ParquetCopied;
import io.snaplake.events.TableCopyResult;
import io.snaplake.events.TableCopyStatus;
import io.snaplake.pipeline.EventIds;
import io.snaplake.rdsexportwriter.WrittenExport;
import io.snaplake.testkit.TestEvents;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** The events of the copier's tests: ExportCompleted inputs of 2026-11-20 snapshots, and the ParquetCopied expected of them. */
final class CopierTestEvents {

    static final String ACCOUNT = "123456789012";
    static final Instant EXPORTED_AT = Instant.parse("2026-11-20T05:59:00Z");

    private CopierTestEvents() {
    }

    /** An ExportCompleted of {@code cluster}'s 2026-11-20 snapshot, exported to s3://e2e-exports/{@code prefix}. */
    static ExportCompleted exportCompleted(String cluster, String prefix, String exportTaskId) {
        String arn = "arn:aws:rds:us-east-1:" + ACCOUNT + ":cluster-snapshot:rds:" + cluster + "-2026-11-20-03-10";
        return ExportCompleted.newBuilder()
                .setMetadata(EventMetadata.newBuilder().setEventId(EventIds.of("export-completed", exportTaskId))
                        .setRunId(EventIds.runId(arn)).setOccurredAt(EXPORTED_AT).setProducer("export-scheduler").build())
                .setSnapshot(TestEvents.clusterSnapshot(cluster, LocalDate.parse("2026-11-20")).setSnapshotArn(arn).build())
                .setExportTaskId(exportTaskId)
                .setBucket("e2e-exports")
                .setPrefix(prefix)
                .build();
    }

    /** The ParquetCopied of a complete copy of {@code input} into {@code lakeBucket} (prefix raw), with no skipped database. */
    static ParquetCopied.Builder parquetCopied(ExportCompleted input, EventMetadata metadata, String lakeBucket,
            TableCopyResult... tables) {
        return ParquetCopied.newBuilder()
                .setMetadata(metadata)
                .setSnapshot(input.getSnapshot())
                .setExportTaskId(input.getExportTaskId())
                .setLakeBucket(lakeBucket)
                .setLakePrefix("raw")
                .setComplete(true)
                .setTables(List.of(tables))
                .setSkippedDatabases(List.of());
    }

    /** A table the copier copied whole, every file new to the lake. */
    static TableCopyResult copied(WrittenExport written, String lakeBucket, String cluster, String database, String table) {
        long files = files(written, database, table).size();
        long bytes = bytes(written, database, table);
        return TableCopyResult.newBuilder().setDatabase(database).setTable(table).setStatus(TableCopyStatus.COPIED)
                .setExportStatus("COMPLETE")
                .setLocation(lakeLocation(written, lakeBucket, cluster, database, table))
                .setFilesFound(files).setBytesFound(bytes).setFilesCopied(files).setBytesCopied(bytes).build();
    }
}
