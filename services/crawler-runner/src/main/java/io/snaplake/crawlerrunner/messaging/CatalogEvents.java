package io.snaplake.crawlerrunner.messaging;

import io.snaplake.crawlerrunner.domain.CatalogReport;
import io.snaplake.crawlerrunner.domain.CatalogRequest;
import io.snaplake.crawlerrunner.domain.Crawlers;
import io.snaplake.crawlerrunner.domain.TableOutcome;
import io.snaplake.events.CatalogColumn;
import io.snaplake.events.CatalogMethod;
import io.snaplake.events.CatalogedTable;
import io.snaplake.events.ColumnTypeChange;
import io.snaplake.events.CrawlCompleted;
import io.snaplake.events.EventMetadata;
import io.snaplake.events.ParquetCopied;
import io.snaplake.events.PartitionCatalogStatus;
import io.snaplake.events.PipelineFailure;
import io.snaplake.events.TableCatalogStatus;
import io.snaplake.events.TableCopyStatus;
import io.snaplake.pipeline.EventMetadataFactory;
import io.snaplake.pipeline.FailureEvents;
import io.snaplake.pipeline.Stage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Maps ParquetCopied to a catalogue request, and a catalogue report to CrawlCompleted and, when a table failed, a PipelineFailure. */
public final class CatalogEvents {

    static final String CRAWL_COMPLETED = "CrawlCompleted";
    static final String PIPELINE_FAILURE = "PipelineFailure";

    private final EventMetadataFactory metadata;

    public CatalogEvents(EventMetadataFactory metadata) {
        this.metadata = metadata;
    }

    public static CatalogRequest request(ParquetCopied input) {
        return new CatalogRequest(input.getSnapshot().getClusterId(), input.getSnapshot().getSnapshotId(),
                input.getSnapshot().getSnapshotArn(),
                input.getSnapshot().getSnapshotCreatedAt() == null ? null : input.getSnapshot().getSnapshotCreatedAt().toEpochMilli(),
                input.getSnapshot().getSnapshotDate(), input.getExportTaskId(), input.getLakeBucket(),
                input.getTables().stream().map(table -> new CatalogRequest.CopiedTable(table.getDatabase(), table.getTable(),
                        table.getStatus() == TableCopyStatus.COPIED, table.getLocation(),
                        table.getStatus() == TableCopyStatus.COPIED ? null
                                : "not copied (" + table.getStatus() + (table.getExportStatus() == null ? "" : ", export status " + table.getExportStatus())
                                        + ")" + (table.getMessage() == null ? "" : ": " + table.getMessage())))
                        .toList());
    }

    public CrawlCompleted crawlCompleted(ParquetCopied input, CatalogReport report) {
        return crawlCompleted(input, report, CatalogMethod.DIRECT_REGISTRATION, null);
    }

    /** The CrawlCompleted of a copy catalogued by a successful crawl of crawler {@code crawler}. */
    public CrawlCompleted crawledByCrawler(ParquetCopied input, CatalogReport report, String crawler) {
        return crawlCompleted(input, report, CatalogMethod.CRAWLER, crawler);
    }

    /**
     * The CrawlCompleted recorded for an earlier event of the same export and content, answering {@code input}: the
     * recorded one as it is when {@code input} is that event delivered again, else the same with metadata following
     * {@code input}'s (a replay's CrawlCompleted points at the one it replays, as direct registration's does).
     */
    public CrawlCompleted again(ParquetCopied input, CrawlCompleted recorded) {
        EventMetadata following = metadata.following(input.getMetadata(), CRAWL_COMPLETED);
        if (following.getEventId().equals(recorded.getMetadata().getEventId())) {
            return recorded;
        }
        return CrawlCompleted.newBuilder(recorded).setMetadata(following).build();
    }

    /** A crawl that FAILED or was CANCELLED: its error message and where its log is, so the on-call can read it. */
    public PipelineFailure crawlFailed(ParquetCopied input, String crawler, String database, Crawlers.LastCrawl crawl) {
        boolean cancelled = crawl.outcome() == Crawlers.Outcome.CANCELLED;
        String what = "Glue crawler " + crawler + " " + (cancelled ? "was cancelled" : "failed") + " cataloguing " + exportOf(input)
                + " into Glue database " + database + (crawl.errorMessage() == null ? "" : ": " + crawl.errorMessage())
                + "; its log: CloudWatch log group " + crawl.logGroup() + ", stream " + crawl.logStream()
                + ". Fix the cause, then replay the day from the crawler-runner stage.";
        return failure(input, cancelled ? "CRAWL_CANCELLED" : "CRAWL_FAILED", what, true, details(input, "crawler", crawler,
                "glueDatabase", database, "crawlStatus", crawl.outcome().name(), "crawlStartTime", String.valueOf(crawl.started()),
                "errorMessage", crawl.errorMessage(), "logGroup", crawl.logGroup(), "logStream", crawl.logStream()));
    }

    private CrawlCompleted crawlCompleted(ParquetCopied input, CatalogReport report, CatalogMethod method, String crawler) {
        return CrawlCompleted.newBuilder()
                .setMetadata(metadata.following(input.getMetadata(), CRAWL_COMPLETED))
                .setSnapshot(input.getSnapshot())
                .setGlueDatabase(report.database())
                .setTables(report.tables().stream().filter(TableOutcome::catalogued).map(TableOutcome::glueTable).toList())
                .setPartition("date=" + input.getSnapshot().getSnapshotDate())
                .setMethod(method)
                .setCrawlerName(crawler)
                .setExportTaskId(input.getExportTaskId())
                .setComplete(input.getComplete() && report.complete())
                .setTableResults(report.tables().stream().map(CatalogEvents::table).toList())
                .build();
    }

    /** A failure naming every table that could not be catalogued and why, or empty when none failed. */
    public Optional<PipelineFailure> failure(ParquetCopied input, CatalogReport report) {
        if (report.failed().isEmpty()) {
            return Optional.empty();
        }
        String permissions = report.failed().stream().map(TableOutcome::missingPermission).filter(p -> p != null).distinct()
                .collect(Collectors.joining(","));
        String reasons = report.failed().stream().map(table -> table.sourceDatabase() + "." + table.sourceTable() + ": " + table.message())
                .collect(Collectors.joining(" | "));
        String what = "crawler-runner could not catalogue " + report.failed().size() + " of " + report.tables().size() + " tables of "
                + exportOf(input) + " in Glue database " + report.database()
                + (permissions.isEmpty() ? " (fix the files or the table, then replay the day): "
                        : " (grant " + permissions + " to the service's role, then replay the day): ") + reasons;
        return Optional.of(failure(input, permissions.isEmpty() ? "TABLE_CATALOG_FAILED" : "ACCESS_DENIED", what, !permissions.isEmpty(),
                details(input, "glueDatabase", report.database(), "failedTables", report.failed().stream()
                        .map(table -> table.sourceDatabase() + "." + table.sourceTable()).collect(Collectors.joining(",")),
                        "missingPermissions", permissions.isEmpty() ? null : permissions)));
    }

    private PipelineFailure failure(ParquetCopied input, String reason, String message, boolean retryable, Map<String, String> details) {
        return FailureEvents.failure(metadata.following(input.getMetadata(), PIPELINE_FAILURE), input.getSnapshot(), Stage.CRAWLER_RUNNER,
                reason, message, retryable, details);
    }

    /** A failure's details: the export task id, then the given names and values in order, those without a value left out. */
    private static Map<String, String> details(ParquetCopied input, String... namesAndValues) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("exportTaskId", input.getExportTaskId());
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                details.put(namesAndValues[i], namesAndValues[i + 1]);
            }
        }
        return details;
    }

    private static String exportOf(ParquetCopied input) {
        return "export " + input.getExportTaskId() + " of cluster " + input.getSnapshot().getClusterId() + " ("
                + input.getSnapshot().getSnapshotDate() + ")";
    }

    private static CatalogedTable table(TableOutcome table) {
        return CatalogedTable.newBuilder()
                .setSourceDatabase(table.sourceDatabase())
                .setSourceTable(table.sourceTable())
                .setGlueTable(table.glueTable() == null ? "" : table.glueTable())
                .setStatus(TableCatalogStatus.valueOf(table.status().name()))
                .setPartitionStatus(PartitionCatalogStatus.valueOf(table.partitionStatus().name()))
                .setTableLocation(table.tableLocation())
                .setPartitionLocation(table.partitionLocation())
                .setColumns(table.columns().stream().map(column -> new CatalogColumn(column.name(), column.type())).toList())
                .setColumnsAdded(table.columnsAdded())
                .setTypeChanges(table.typeChanges().stream()
                        .map(change -> new ColumnTypeChange(change.column(), change.oldType(), change.newType())).toList())
                .setColumnsMissing(table.columnsMissing())
                .setMessage(table.message())
                .build();
    }
}
