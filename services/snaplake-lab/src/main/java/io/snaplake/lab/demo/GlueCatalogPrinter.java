package io.snaplake.lab.demo;

import io.snaplake.events.CatalogedTable;
import io.snaplake.events.CrawlCompleted;
import io.snaplake.events.TableCatalogStatus;
import java.io.PrintStream;
import java.util.List;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.Partition;
import software.amazon.awssdk.services.glue.model.Table;

/** The demo's view of the Glue catalogue: each database's tables with their columns and partitions, as Athena would see them. */
final class GlueCatalogPrinter {

    private GlueCatalogPrinter() {
    }

    /** Prints the Glue databases the crawler-runner reported, read back from Glue itself. */
    static void print(GlueClient glue, List<CrawlCompleted> crawls, PrintStream out) {
        out.println("\nGlue catalogue (read back from Glue):");
        crawls.stream().map(CrawlCompleted::getGlueDatabase).distinct().sorted().forEach(database -> {
            out.println("  database " + database);
            for (Table table : glue.getTablesPaginator(get -> get.databaseName(database)).stream().flatMap(page -> page.tableList().stream()).toList()) {
                out.printf("    table %s  %s%n", table.name(), table.storageDescriptor().location());
                out.println("      columns: " + table.storageDescriptor().columns().stream()
                        .map(column -> column.name() + " " + column.type()).collect(Collectors.joining(", ")));
                List<Partition> partitions = glue.getPartitions(get -> get.databaseName(database).tableName(table.name())).partitions();
                for (Partition partition : partitions) {
                    out.printf("      partition date=%s  %s  (export %s)%n", partition.values().get(0),
                            partition.storageDescriptor().location(), partition.parameters().get("snaplake.exportTaskId"));
                }
            }
        });
    }

    /**
     * What the demo requires of the catalogue step: a CrawlCompleted for the snapshot, in which no table failed
     * (tables the export itself skipped are reported NOT_COPIED, which is expected).
     */
    static List<String> problems(String snapshotId, List<PipelineWatcher.Seen> crawls) {
        if (crawls.isEmpty()) {
            return List.of(snapshotId + ": no CrawlCompleted");
        }
        return crawls.stream().map(seen -> (CrawlCompleted) seen.event())
                .flatMap(crawl -> crawl.getTableResults().stream())
                .filter(table -> table.getStatus() == TableCatalogStatus.FAILED)
                .map(table -> snapshotId + ": table " + table.getSourceDatabase() + "." + table.getSourceTable()
                        + " not catalogued: " + table.getMessage())
                .toList();
    }

    /** One line per CrawlCompleted for the journey view, with its per-table outcome below it. */
    static String describe(CrawlCompleted crawl) {
        StringBuilder tables = new StringBuilder();
        for (CatalogedTable table : crawl.getTableResults()) {
            tables.append(String.format("%n               %-10s %-22s %-10s %-15s %s", table.getSourceDatabase(), table.getSourceTable(),
                    table.getStatus(), table.getPartitionStatus(),
                    table.getStatus() == TableCatalogStatus.NOT_COPIED || table.getStatus() == TableCatalogStatus.FAILED
                            ? table.getMessage() : table.getGlueTable() + " (" + table.getColumns().size() + " columns)"));
        }
        return "CrawlCompleted " + crawl.getMethod() + " database=" + crawl.getGlueDatabase() + " " + crawl.getPartition()
                + " complete=" + crawl.getComplete() + tables;
    }
}
