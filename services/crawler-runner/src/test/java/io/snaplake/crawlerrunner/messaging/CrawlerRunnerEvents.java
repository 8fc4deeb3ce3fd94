package io.snaplake.crawlerrunner.messaging;

import io.snaplake.events.CatalogColumn;
import io.snaplake.events.CatalogedTable;
import io.snaplake.events.CrawlCompleted;
import io.snaplake.events.EventMetadata;
import io.snaplake.events.ParquetCopied;
import io.snaplake.events.PartitionCatalogStatus;
import io.snaplake.events.TableCatalogStatus;
import io.snaplake.events.TableCopyResult;
import io.snaplake.events.TableCopyStatus;
import io.snaplake.pipeline.EventIds;
import io.snaplake.pipeline.EventMetadataFactory;
import io.snaplake.testkit.TestEvents;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** The crawler-runner's test events: the ParquetCopied it reads and the parts of the CrawlCompleted it should publish. */
final class CrawlerRunnerEvents {

    /** The tests' clock: the day's snapshot was taken at 03:10, copied a minute before now. */
    static final Instant NOW = Instant.parse("2026-11-20T06:30:00Z");
    static final String LAKE = "binding-lake";

    private CrawlerRunnerEvents() {
    }

    /** A ParquetCopied of {@code cluster}'s 2026-11-20 snapshot. */
    static ParquetCopied parquetCopied(String cluster, String exportTaskId, boolean complete, TableCopyResult... tables) {
        String arn = "arn:aws:rds:us-east-1:123456789012:cluster-snapshot:rds:" + cluster + "-2026-11-20-03-10";
        return ParquetCopied.newBuilder()
                .setMetadata(EventMetadata.newBuilder().setEventId(EventIds.of("parquet-copied", exportTaskId))
                        .setRunId(EventIds.runId(arn)).setOccurredAt(NOW.minusSeconds(60)).setProducer("parquet-copier").build())
                .setSnapshot(TestEvents.clusterSnapshot(cluster, LocalDate.parse("2026-11-20")).setSnapshotArn(arn)
                        .setSnapshotCreatedAt(Instant.parse("2026-11-20T03:10:00Z")).build())
                .setExportTaskId(exportTaskId)
                .setLakeBucket(LAKE)
                .setLakePrefix("raw")
                .setComplete(complete)
                .setTables(List.of(tables))
                .setSkippedDatabases(List.of())
                .build();
    }

    /** A replay of {@code input} (its own event id, pointing at the event it replays), with tables of its own to change. */
    static ParquetCopied replayOf(ParquetCopied input, String replayId) {
        return ParquetCopied.newBuilder(input)
                .setMetadata(EventMetadata.newBuilder(input.getMetadata())
                        .setEventId(EventIds.of(input.getMetadata().getEventId(), "replay", replayId))
                        .setReplayOf(input.getMetadata().getEventId()).build())
                .setTables(input.getTables().stream().map(table -> TableCopyResult.newBuilder(table).build()).toList())
                .build();
    }

    /** A table the copier copied (one file) to {@code location}. */
    static TableCopyResult copied(String database, String table, String location) {
        return TableCopyResult.newBuilder().setDatabase(database).setTable(table).setStatus(TableCopyStatus.COPIED)
                .setExportStatus("COMPLETE").setLocation(location).setFilesFound(1).setFilesCopied(1).build();
    }

    /** A table the export skipped ("row too large"). */
    static TableCopyResult skippedByExport(String database, String table) {
        return TableCopyResult.newBuilder().setDatabase(database).setTable(table).setStatus(TableCopyStatus.SKIPPED_BY_EXPORT)
                .setExportStatus("FAILED").setMessage("row too large").build();
    }

    /** The CrawlCompleted answering {@code input}, with what every test expects of it set: the caller sets the rest. */
    static CrawlCompleted.Builder crawlCompleted(EventMetadataFactory metadata, ParquetCopied input, String glueDatabase) {
        return CrawlCompleted.newBuilder()
                .setMetadata(metadata.following(input.getMetadata(), "CrawlCompleted"))
                .setSnapshot(input.getSnapshot())
                .setGlueDatabase(glueDatabase)
                .setPartition("date=2026-11-20")
                .setExportTaskId(input.getExportTaskId());
    }

    /** A table created, with the day's partition at {@code location} (its table folder: everything before date=). */
    static CatalogedTable created(String database, String table, String glueTable, String location, CatalogColumn... columns) {
        return CatalogedTable.newBuilder().setSourceDatabase(database).setSourceTable(table).setGlueTable(glueTable)
                .setStatus(TableCatalogStatus.CREATED).setPartitionStatus(PartitionCatalogStatus.ADDED)
                .setTableLocation(location.substring(0, location.indexOf("date="))).setPartitionLocation(location)
                .setColumns(List.of(columns)).build();
    }

    /** The outcome of a table the export skipped ({@link #skippedByExport}). */
    static CatalogedTable notCopied(String database, String table) {
        return CatalogedTable.newBuilder().setSourceDatabase(database).setSourceTable(table).setGlueTable("")
                .setStatus(TableCatalogStatus.NOT_COPIED).setPartitionStatus(PartitionCatalogStatus.NOT_REGISTERED)
                .setMessage("not copied (SKIPPED_BY_EXPORT, export status FAILED): row too large").build();
    }

    static CatalogColumn column(String name, String type) {
        return new CatalogColumn(name, type);
    }
}
