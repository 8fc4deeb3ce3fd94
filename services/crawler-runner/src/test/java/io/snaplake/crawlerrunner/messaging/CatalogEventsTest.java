package io.snaplake.crawlerrunner.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.snaplake.crawlerrunner.catalog.CatalogReport;
import io.snaplake.crawlerrunner.catalog.TableOutcome;
import io.snaplake.crawlerrunner.catalog.TableOutcome.PartitionStatus;
import io.snaplake.crawlerrunner.catalog.TableOutcome.TableStatus;
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
        ParquetCopied input = CatalogCopyBindingTest.parquetCopied("orders", "exp-1", true, TableCopyResult.newBuilder()
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
}
