package io.snaplake.crawlerrunner.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.snaplake.crawlerrunner.domain.CatalogReport;
import io.snaplake.crawlerrunner.domain.TableOutcome;
import io.snaplake.crawlerrunner.domain.TableOutcome.PartitionStatus;
import io.snaplake.crawlerrunner.domain.TableOutcome.TableStatus;
import io.snaplake.events.CrawlCompleted;
import io.snaplake.events.ParquetCopied;
import io.snaplake.events.PipelineFailure;
import io.snaplake.events.PipelineStage;
import io.snaplake.events.TableCopyResult;
import io.snaplake.events.TableCopyStatus;
import io.snaplake.pipeline.EventMetadataFactory;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CatalogEventsTest {

    private final EventMetadataFactory metadata = new EventMetadataFactory("crawler-runner",
            Clock.fixed(Instant.parse("2026-11-20T06:30:00Z"), ZoneOffset.UTC));
    private final CatalogEvents events = new CatalogEvents(metadata);

    @Test
    void anAccessDeniedTable_becomesAFailureNamingTheMissingPermission() {
        ParquetCopied input = CrawlerRunnerEvents.parquetCopied("orders", "exp-1", true, TableCopyResult.newBuilder()
                .setDatabase("ordersdb").setTable("public.orders").setStatus(TableCopyStatus.COPIED).setLocation("s3://l/x/date=2026-11-20/").build());
        CatalogReport report = new CatalogReport("orders", List.of(new TableOutcome("ordersdb", "public.orders", "ordersdb_public_orders",
                TableStatus.FAILED, PartitionStatus.NOT_REGISTERED, "s3://l/x/", "s3://l/x/date=2026-11-20/", List.of(), List.of(), List.of(),
                List.of(), "access denied: the service's role lacks glue:CreateTable (denied)", "glue:CreateTable")));

        PipelineFailure failure = events.failure(input, report).orElseThrow();

        assertThat(failure).isEqualTo(PipelineFailure.newBuilder()
                .setMetadata(metadata.following(input.getMetadata(), "PipelineFailure"))
                .setSnapshot(input.getSnapshot())
                .setStage(PipelineStage.CRAWLER_RUNNER)
                .setReason("ACCESS_DENIED")
                .setMessage("crawler-runner could not catalogue 1 of 1 tables of export exp-1 of cluster orders (2026-11-20) in Glue database "
                        + "orders (grant glue:CreateTable to the service's role, then replay the day): ordersdb.public.orders: "
                        + "access denied: the service's role lacks glue:CreateTable (denied)")
                .setRetryable(true)
                .setDetails(Map.of("exportTaskId", "exp-1", "glueDatabase", "orders", "failedTables", "ordersdb.public.orders",
                        "missingPermissions", "glue:CreateTable"))
                .build());
    }

    @Test
    void theRecordedCrawlCompleted_isSentAsItIsForTheSameEventAgain_andWithTheReplaysMetadataForAReplay() {
        ParquetCopied input = CrawlerRunnerEvents.parquetCopied("orders", "exp-1", true);
        CrawlCompleted recorded = events.crawledByCrawler(input, new CatalogReport("orders", List.of()), "snaplake-orders");
        EventMetadataFactory later = new EventMetadataFactory("crawler-runner", Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC));
        ParquetCopied replay = ParquetCopied.newBuilder(input).setMetadata(later.replayOf(input.getMetadata(), "r1")).build();

        assertThat(new CatalogEvents(later).again(input, recorded)).as("delivered again: the very same event").isEqualTo(recorded);
        assertThat(new CatalogEvents(later).again(replay, recorded)).isEqualTo(CrawlCompleted.newBuilder(recorded)
                .setMetadata(later.following(replay.getMetadata(), "CrawlCompleted")).build());
        assertThat(new CatalogEvents(later).again(replay, recorded).getMetadata().getReplayOf()).isEqualTo(recorded.getMetadata().getEventId());
    }

    @Test
    void theContentDigest_ignoresMetadataAndFileCounts_butNotWhatIsCatalogued() {
        TableCopyResult copied = TableCopyResult.newBuilder().setDatabase("ordersdb").setTable("public.orders")
                .setStatus(TableCopyStatus.COPIED).setLocation("s3://l/x/date=2026-11-20/").setFilesFound(3).setFilesCopied(3).build();
        ParquetCopied first = CrawlerRunnerEvents.parquetCopied("orders", "exp-1", true, copied);
        ParquetCopied recopied = ParquetCopied.newBuilder(first).setMetadata(metadata.replayOf(first.getMetadata(), "r1"))
                .setTables(List.of(TableCopyResult.newBuilder(copied).setFilesCopied(0).setFilesAlreadyPresent(3).build())).build();
        ParquetCopied moreTables = ParquetCopied.newBuilder(first).setTables(List.of(copied, TableCopyResult.newBuilder(copied)
                .setTable("public.lines").setLocation("s3://l/y/date=2026-11-20/").build())).build();
        ParquetCopied otherLocation = ParquetCopied.newBuilder(first).setTables(List.of(TableCopyResult.newBuilder(copied)
                .setLocation("s3://l/z/date=2026-11-20/").build())).build();

        assertThat(CopyContent.digest(recopied)).isEqualTo(CopyContent.digest(first)).hasSize(64);
        assertThat(CopyContent.digest(moreTables)).isNotEqualTo(CopyContent.digest(first));
        assertThat(CopyContent.digest(otherLocation)).isNotEqualTo(CopyContent.digest(first));
        assertThat(CopyContent.digest(ParquetCopied.newBuilder(first).setComplete(false).build())).isNotEqualTo(CopyContent.digest(first));
    }
}
