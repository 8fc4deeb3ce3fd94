package io.snaplake.crawlerrunner.domain;

import io.snaplake.crawlerrunner.domain.CrawledCatalog.CrawledPartition;
import io.snaplake.crawlerrunner.domain.CrawledCatalog.CrawledTable;
import io.snaplake.crawlerrunner.domain.TableOutcome.PartitionStatus;
import io.snaplake.crawlerrunner.domain.TableOutcome.TableStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a successful crawl did for one copied export, told by comparing the catalog before and after the crawl
 * (docs/design/crawler-runner.md): a copied table the crawl left without a table or partition FAILED.
 */
final class CrawlReports {

    private CrawlReports() {
    }

    static CatalogReport report(CrawledCatalog catalog, String database, CatalogRequest request, Instant crawlStarted) {
        Map<String, CrawledTable> byLocation = catalog.tables(database).stream().filter(table -> table.location() != null)
                .collect(Collectors.toMap(table -> S3Location.folder(table.location()), Function.identity(), (a, b) -> a));
        String date = request.date().toString();
        List<TableOutcome> outcomes = request.tables().stream().map(table -> {
            if (!table.copied() || table.location() == null) {
                return TableOutcome.notRegistered(table, null, TableStatus.NOT_COPIED, null,
                        table.message() == null ? "not copied into the lake" : table.message(), null);
            }
            String tableLocation = tableLocation(table.location());
            CrawledTable crawled = tableLocation == null ? null : byLocation.get(S3Location.folder(tableLocation));
            if (crawled == null) {
                return TableOutcome.notRegistered(table, null, TableStatus.FAILED, tableLocation, "the crawl left no Glue table at "
                        + tableLocation + " in " + database + " (see the crawler's log): the day is not queryable", null);
            }
            Optional<CrawledPartition> partition = catalog.partition(database, crawled.name(), date);
            if (partition.isEmpty()) {
                return TableOutcome.of(table, crawled.name(), TableStatus.FAILED, PartitionStatus.NOT_REGISTERED, tableLocation,
                        table.location(), crawled.columns(), ColumnChanges.NONE, "the crawl registered no partition date=" + date + " in "
                                + database + "." + crawled.name() + " (see the crawler's log): the day is not queryable");
            }
            TableStatus status;
            ColumnChanges changes = ColumnChanges.NONE;
            if (!crawled.created().isBefore(crawlStarted)) {
                status = TableStatus.CREATED;
            } else if (!crawled.updated().isBefore(crawlStarted)) {
                changes = ColumnChanges.between(catalog.columnsBefore(database, crawled.name(), crawlStarted).orElse(List.of()), crawled.columns());
                status = TableStatus.UPDATED;
            } else {
                status = TableStatus.UNCHANGED;
            }
            PartitionStatus partitionStatus = partition.get().created() != null && !partition.get().created().isBefore(crawlStarted)
                    ? PartitionStatus.ADDED : PartitionStatus.ALREADY_PRESENT;
            return TableOutcome.of(table, crawled.name(), status, partitionStatus, tableLocation, partition.get().location(),
                    partition.get().columns().isEmpty() ? crawled.columns() : partition.get().columns(), changes, null);
        }).toList();
        return new CatalogReport(database, outcomes);
    }

    /** The table folder of a partition location: everything before {@code date=}. */
    static String tableLocation(String partitionLocation) {
        int date = partitionLocation.indexOf("/date=");
        return date < 0 ? null : partitionLocation.substring(0, date + 1);
    }
}
