package io.snaplake.lfsharer.messaging;

import io.snaplake.events.CatalogColumn;
import io.snaplake.events.CatalogMethod;
import io.snaplake.events.CatalogedTable;
import io.snaplake.events.CrawlCompleted;
import io.snaplake.events.EventMetadata;
import io.snaplake.events.TableCatalogStatus;
import io.snaplake.pipeline.EventIds;
import io.snaplake.testkit.TestEvents;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** The sharer's input events for tests: a day of cluster orders' three tables, as the crawler-runner catalogues it. */
final class CrawlCompletedMother {

    /** When the sharer runs in the tests (their clock). */
    static final Instant NOW = Instant.parse("2026-11-20T07:00:00Z");

    private CrawlCompletedMother() {
    }

    /** A CrawlCompleted of {@code cluster}'s 2026-11-20 snapshot, as the crawler-runner emits it. */
    static CrawlCompleted crawlCompleted(String cluster, String glueDatabase) {
        String arn = "arn:aws:rds:us-east-1:123456789012:cluster-snapshot:rds:" + cluster + "-2026-11-20-03-10";
        return CrawlCompleted.newBuilder()
                .setMetadata(EventMetadata.newBuilder().setEventId(EventIds.of("crawl-completed", cluster)).setRunId(EventIds.runId(arn))
                        .setOccurredAt(NOW.minusSeconds(60)).setProducer("crawler-runner").build())
                .setSnapshot(TestEvents.clusterSnapshot(cluster, LocalDate.parse("2026-11-20")).setSnapshotArn(arn).build())
                .setGlueDatabase(glueDatabase)
                .setTables(List.of("ordersdb_public_orders", "ordersdb_public_customers", "ordersdb_public_payments"))
                .setPartition("date=2026-11-20")
                .setMethod(CatalogMethod.DIRECT_REGISTRATION)
                .setComplete(true)
                .setTableResults(List.of(
                        cataloged("ordersdb_public_orders", "public.orders", List.of("id", "total", "discount"), List.of("discount")),
                        cataloged("ordersdb_public_customers", "public.customers", List.of("id", "country", "email"), List.of()),
                        cataloged("ordersdb_public_payments", "public.payments", List.of("id", "card_token", "amount"), List.of())))
                .build();
    }

    private static CatalogedTable cataloged(String glueTable, String sourceTable, List<String> columns, List<String> added) {
        return CatalogedTable.newBuilder().setSourceDatabase("ordersdb").setSourceTable(sourceTable).setGlueTable(glueTable)
                .setStatus(added.isEmpty() ? TableCatalogStatus.UNCHANGED : TableCatalogStatus.UPDATED)
                .setColumns(columns.stream().map(column -> new CatalogColumn(column, "string")).toList())
                .setColumnsAdded(added)
                .build();
    }
}
