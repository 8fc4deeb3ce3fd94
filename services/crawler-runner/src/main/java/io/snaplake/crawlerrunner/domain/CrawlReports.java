package io.snaplake.crawlerrunner.domain;

import io.snaplake.crawlerrunner.domain.CatalogRequest.CopiedTable;
import io.snaplake.crawlerrunner.domain.CrawledCatalog.CrawledPartition;
import io.snaplake.crawlerrunner.domain.CrawledCatalog.CrawledTable;
import io.snaplake.crawlerrunner.domain.TableOutcome.PartitionStatus;
import io.snaplake.crawlerrunner.domain.TableOutcome.TableStatus;
import io.snaplake.crawlerrunner.domain.TableOutcome.TypeChange;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a successful crawl did for one copied export, by comparing the catalog before and after the crawl:
 * a table created at or after the crawl's start is CREATED, one updated then is UPDATED (its columns compared
 * with the table version before the crawl: columns added, type changes, columns gone), any other UNCHANGED; the
 * day's partition is ADDED if created by the crawl, ALREADY_PRESENT if older. A copied table for which the
 * crawl left no table or no partition at its lake location FAILED: Athena would not see that day.
 */
final class CrawlReports {

    private CrawlReports() {
    }

    static CatalogReport report(CrawledCatalog catalog, String database, CatalogRequest request, Instant crawlStarted) {
        Map<String, CrawledTable> byLocation = catalog.tables(database).stream().filter(table -> table.location() != null)
                .collect(Collectors.toMap(table -> folder(table.location()), Function.identity(), (a, b) -> a));
        String date = request.date().toString();
        List<TableOutcome> outcomes = request.tables().stream().map(table -> {
            if (!table.copied() || table.location() == null) {
                return outcome(table, null, TableStatus.NOT_COPIED, PartitionStatus.NOT_REGISTERED, null, List.of(), List.of(), List.of(),
                        List.of(), table.message() == null ? "not copied into the lake" : table.message());
            }
            String tableLocation = tableLocation(table.location());
            CrawledTable crawled = tableLocation == null ? null : byLocation.get(folder(tableLocation));
            if (crawled == null) {
                return outcome(table, null, TableStatus.FAILED, PartitionStatus.NOT_REGISTERED, tableLocation, List.of(), List.of(),
                        List.of(), List.of(), "the crawl left no Glue table at " + tableLocation + " in " + database
                                + " (see the crawler's log): the day is not queryable");
            }
            Optional<CrawledPartition> partition = catalog.partition(database, crawled.name(), date);
            if (partition.isEmpty()) {
                return outcome(table, crawled.name(), TableStatus.FAILED, PartitionStatus.NOT_REGISTERED, tableLocation, crawled.columns(),
                        List.of(), List.of(), List.of(), "the crawl registered no partition date=" + date + " in " + database + "."
                                + crawled.name() + " (see the crawler's log): the day is not queryable");
            }
            TableStatus status;
            List<String> added = List.of();
            List<TypeChange> changes = List.of();
            List<String> missing = List.of();
            if (!crawled.created().isBefore(crawlStarted)) {
                status = TableStatus.CREATED;
            } else if (!crawled.updated().isBefore(crawlStarted)) {
                List<Column> before = catalog.columnsBefore(database, crawled.name(), crawlStarted).orElse(List.of());
                Map<String, String> oldTypes = before.stream().collect(Collectors.toMap(Column::name, Column::type, (a, b) -> a));
                Map<String, String> newTypes = crawled.columns().stream().collect(Collectors.toMap(Column::name, Column::type, (a, b) -> a));
                added = crawled.columns().stream().map(Column::name).filter(name -> !oldTypes.containsKey(name)).toList();
                changes = crawled.columns().stream().filter(c -> oldTypes.containsKey(c.name()) && !oldTypes.get(c.name()).equals(c.type()))
                        .map(c -> new TypeChange(c.name(), oldTypes.get(c.name()), c.type())).toList();
                missing = before.stream().map(Column::name).filter(name -> !newTypes.containsKey(name)).toList();
                status = TableStatus.UPDATED;
            } else {
                status = TableStatus.UNCHANGED;
            }
            PartitionStatus partitionStatus = partition.get().created() != null && !partition.get().created().isBefore(crawlStarted)
                    ? PartitionStatus.ADDED : PartitionStatus.ALREADY_PRESENT;
            return new TableOutcome(table.database(), table.table(), crawled.name(), status, partitionStatus, tableLocation,
                    partition.get().location(), partition.get().columns().isEmpty() ? crawled.columns() : partition.get().columns(),
                    added, changes, missing, null, null);
        }).toList();
        return new CatalogReport(database, outcomes);
    }

    private static TableOutcome outcome(CopiedTable table, String glueTable, TableStatus status, PartitionStatus partitionStatus,
            String tableLocation, List<Column> columns, List<String> added, List<TypeChange> changes, List<String> missing, String message) {
        return new TableOutcome(table.database(), table.table(), glueTable, status, partitionStatus, tableLocation, table.location(),
                columns, added, changes, missing, message, null);
    }

    /** The table folder of a partition location: everything before {@code date=}. */
    static String tableLocation(String partitionLocation) {
        int date = partitionLocation.indexOf("/date=");
        return date < 0 ? null : partitionLocation.substring(0, date + 1);
    }

    private static String folder(String location) {
        return location.replaceAll("/+$", "");
    }
}
