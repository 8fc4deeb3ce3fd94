package io.snaplake.crawlerrunner.domain;

import io.snaplake.crawlerrunner.domain.CatalogRequest.CopiedTable;
import io.snaplake.crawlerrunner.domain.TableOutcome.TableStatus;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.stream.Collectors;

/**
 * Catalogues a copied export in Glue without a crawler: per cluster a database, per lake table folder a table, per
 * table-day a {@code date} partition at the copier's location, all from the Parquet footers of the day's files.
 * Tables are registered in parallel. The rules (schema changes, two exports of a day, replays): docs/design/crawler-runner.md.
 */
public final class DirectRegistrar {

    private final Catalog catalog;
    private final LakeStore lake;
    private final PartitionRegistrar partitions;
    private final String databaseTemplate;
    private final ExecutorService workers;

    /**
     * @param databaseTemplate the Glue database of a cluster, with {@code {cluster}}
     * @param workers          runs tables in parallel (its size bounds the Glue requests in flight)
     */
    public DirectRegistrar(Catalog catalog, LakeStore lake, String databaseTemplate, ExecutorService workers) {
        this.catalog = catalog;
        this.lake = lake;
        this.partitions = new PartitionRegistrar(catalog, lake);
        this.databaseTemplate = databaseTemplate;
        this.workers = workers;
    }

    public String database(String cluster) {
        return GlueNames.database(databaseTemplate, cluster);
    }

    public CatalogReport register(CatalogRequest request) {
        String database = database(request.cluster());
        Map<CopiedTable, TableOutcome> outcomes = new HashMap<>();
        Map<CopiedTable, TableTarget> targets = new LinkedHashMap<>();
        for (CopiedTable table : request.tables()) {
            if (!table.copied()) {
                outcomes.put(table, TableOutcome.notRegistered(table, null, TableStatus.NOT_COPIED, null,
                        table.message() == null ? "not copied into the lake" : table.message(), null));
                continue;
            }
            try {
                targets.put(table, TableTarget.of(table));
            } catch (IllegalArgumentException e) {
                outcomes.put(table, TableOutcome.notRegistered(table, null, TableStatus.FAILED, null, e.getMessage(), null));
            }
        }
        rejectCollisions(targets, outcomes);
        Map<String, GlueTable> known = new HashMap<>();
        if (!targets.isEmpty()) {
            try {
                catalog.ensureDatabase(database);
                catalog.tables(database).forEach(table -> known.put(table.name(), table));
            } catch (CatalogAccessDeniedException e) {
                targets.values().forEach(target -> outcomes.put(target.table(), target.denied(e)));
                targets.clear();
            }
        }
        Map<CopiedTable, CompletableFuture<TableOutcome>> running = new LinkedHashMap<>();
        targets.forEach((table, target) -> running.put(table, CompletableFuture.supplyAsync(
                () -> registerTable(request, database, target, Optional.ofNullable(known.get(target.glueTable()))), workers)));
        running.forEach((table, future) -> outcomes.put(table, Futures.join(future)));
        return new CatalogReport(database, request.tables().stream().map(outcomes::get).toList());
    }

    /** Two lake folders that would be one Glue table: both fail, neither is merged into the other. */
    private static void rejectCollisions(Map<CopiedTable, TableTarget> targets, Map<CopiedTable, TableOutcome> outcomes) {
        Map<String, List<TableTarget>> byName = targets.values().stream()
                .collect(Collectors.groupingBy(TableTarget::glueTable, LinkedHashMap::new, Collectors.toList()));
        byName.forEach((name, colliding) -> {
            if (colliding.stream().map(TableTarget::tableLocation).distinct().count() > 1) {
                String sources = colliding.stream().map(target -> target.table().database() + "." + target.table().table()
                        + " (" + target.tableLocation() + ")").collect(Collectors.joining(", "));
                for (TableTarget target : colliding) {
                    targets.remove(target.table());
                    outcomes.put(target.table(), target.failed("Glue table name " + name + " collides: " + sources
                            + " would land on one table; not merged"));
                }
            }
        });
    }

    /** @param existing the Glue table as GetTables listed it before this export's tables started */
    private TableOutcome registerTable(CatalogRequest request, String database, TableTarget target, Optional<GlueTable> existing) {
        try {
            return registerTableOrFail(request, database, target, existing);
        } catch (CatalogAccessDeniedException e) {
            return target.denied(e);
        } catch (UnreadableFileException | UnsupportedSchemaException e) {
            return target.failed(e.getMessage());
        }
    }

    private TableOutcome registerTableOrFail(CatalogRequest request, String database, TableTarget target, Optional<GlueTable> existing) {
        CopiedTable table = target.table();
        List<LakeFile> files = lake.listFolder(target.bucket(), target.partitionPrefix()).stream()
                .filter(file -> file.key().endsWith(".parquet"))
                .sorted(Comparator.comparing(LakeFile::key))
                .toList();
        if (files.isEmpty()) {
            return TableOutcome.notRegistered(table, target.glueTable(), existing.isPresent() ? TableStatus.UNCHANGED : TableStatus.NOT_COPIED,
                    target.tableLocation(), "no Parquet files in " + table.location() + ": no partition to register", null);
        }
        DayColumns day = DayColumns.read(lake, files);
        if (day.problem() != null) {
            return target.failed(day.problem());
        }
        if (existing.isEmpty() && !catalog.createTable(database, TableSchemas.created(target, day.columns(), request))) {
            existing = catalog.table(database, target.glueTable()); // created meanwhile by another replica
        }
        TableStatus status = TableStatus.CREATED;
        ColumnChanges changes = ColumnChanges.NONE;
        if (existing.isPresent()) {
            GlueTable current = existing.get();
            if (!S3Location.sameFolder(current.location(), target.tableLocation())) {
                return target.failed("Glue table " + database + "." + target.glueTable() + " already holds " + current.location() + "; "
                        + table.database() + "." + table.table() + " at " + target.tableLocation() + " would land on it too: not merged");
            }
            changes = ColumnChanges.between(current.columns(), day.columns());
            status = changes.altersTable() ? TableStatus.UPDATED
                    : TableSchemas.createdBy(current, request) ? TableStatus.CREATED : TableStatus.UNCHANGED;
        }
        PartitionRegistrar.Result partition = partitions.register(request, database, target, day.columns(), status, changes);
        if (partition.registered() && existing.isPresent()) {
            GlueTable evolved = TableSchemas.evolved(existing.get(), day.columns(), request.date().toString());
            if (!evolved.equals(existing.get())) {
                catalog.updateTable(database, evolved);
            }
        }
        return partition.outcome();
    }
}
