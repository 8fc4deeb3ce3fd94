package io.snaplake.crawlerrunner.domain;

import io.snaplake.crawlerrunner.domain.CatalogRequest.CopiedTable;
import io.snaplake.crawlerrunner.domain.TableOutcome.PartitionStatus;
import io.snaplake.crawlerrunner.domain.TableOutcome.TableStatus;
import io.snaplake.crawlerrunner.domain.TableOutcome.TypeChange;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.stream.Collectors;

/**
 * Catalogues a copied export in Glue without a crawler: per cluster a database, per lake table folder a table,
 * per table-day a {@code date} partition at exactly the location the copier reported, all from the Parquet
 * footers of the day's files. Tables are handled in parallel, each file's footer read with ranged GETs.
 *
 * <ul>
 *   <li>Schema changes: a column new in the day's files is added to the table (older partitions keep their
 *       own column lists, so they still read); a column whose type changed is recorded on the partition with
 *       old and new type, and the table takes the newer type only from its newest day on; a table column the
 *       day's files lack stays in the table and is reported. Nothing is dropped.</li>
 *   <li>Verification: the day's files must agree on every column's type, or the table fails naming the file
 *       and the column, instead of registering a partition Athena would fail to read.</li>
 *   <li>Two exports of one day: the partition follows the newest snapshot (created-at, then snapshot id); for
 *       one snapshot the later export (the incoming one) wins. The switch is one UpdatePartition, and only
 *       after it are the replaced export's files under the same table's day folder deleted.</li>
 *   <li>Idempotent: a partition registered by the same export is recognised by its Parameters and the
 *       outcome recorded there is reported again, so a replay reports what the first run did.</li>
 * </ul>
 */
public final class DirectRegistrar {

    static final String CLASSIFICATION = "classification";
    static final String CREATED_BY_EXPORT = "snaplake.createdByExport";
    static final String LATEST_PARTITION = "snaplake.latestPartition";

    private final Catalog catalog;
    private final LakeStore lake;
    private final String databaseTemplate;
    private final ExecutorService workers;

    /**
     * @param databaseTemplate the Glue database of a cluster, with {@code {cluster}}
     * @param workers          runs tables in parallel (its size bounds the Glue requests in flight)
     */
    public DirectRegistrar(Catalog catalog, LakeStore lake, String databaseTemplate, ExecutorService workers) {
        this.catalog = catalog;
        this.lake = lake;
        this.databaseTemplate = databaseTemplate;
        this.workers = workers;
    }

    public String database(String cluster) {
        return GlueNames.database(databaseTemplate, cluster);
    }

    public CatalogReport register(CatalogRequest request) {
        String database = database(request.cluster());
        Map<CopiedTable, TableOutcome> outcomes = new HashMap<>();
        Map<CopiedTable, Target> targets = new LinkedHashMap<>();
        for (CopiedTable table : request.tables()) {
            if (!table.copied()) {
                outcomes.put(table, TableOutcome.notRegistered(table, null, TableStatus.NOT_COPIED, null,
                        table.message() == null ? "not copied into the lake" : table.message(), null));
                continue;
            }
            try {
                targets.put(table, Target.of(table));
            } catch (IllegalArgumentException e) {
                outcomes.put(table, TableOutcome.notRegistered(table, null, TableStatus.FAILED, null, e.getMessage(), null));
            }
        }
        rejectCollisions(targets, outcomes);
        if (!targets.isEmpty()) {
            try {
                catalog.ensureDatabase(database);
            } catch (CatalogAccessDeniedException e) {
                targets.forEach((table, target) -> outcomes.put(table, denied(table, target, e)));
                targets.clear();
            }
        }
        Map<String, GlueTable> known = new HashMap<>();
        if (!targets.isEmpty()) {
            try {
                catalog.tables(database).forEach(table -> known.put(table.name(), table));
            } catch (CatalogAccessDeniedException e) {
                targets.forEach((table, target) -> outcomes.put(table, denied(table, target, e)));
                targets.clear();
            }
        }
        Map<CopiedTable, CompletableFuture<TableOutcome>> running = new LinkedHashMap<>();
        targets.forEach((table, target) -> running.put(table, CompletableFuture.supplyAsync(
                () -> registerTable(request, database, table, target, Optional.ofNullable(known.get(target.glueTable()))), workers)));
        running.forEach((table, future) -> outcomes.put(table, join(future)));
        return new CatalogReport(database, request.tables().stream().map(outcomes::get).toList());
    }

    /** Two lake folders that would be one Glue table: both fail, neither is merged into the other. */
    private static void rejectCollisions(Map<CopiedTable, Target> targets, Map<CopiedTable, TableOutcome> outcomes) {
        Map<String, List<CopiedTable>> byName = targets.entrySet().stream().collect(Collectors.groupingBy(
                entry -> entry.getValue().glueTable(), LinkedHashMap::new, Collectors.mapping(Map.Entry::getKey, Collectors.toList())));
        byName.forEach((name, tables) -> {
            if (tables.stream().map(table -> targets.get(table).tableLocation()).distinct().count() > 1) {
                String sources = tables.stream().map(table -> table.database() + "." + table.table() + " (" + targets.get(table).tableLocation() + ")")
                        .collect(Collectors.joining(", "));
                for (CopiedTable table : tables) {
                    Target target = targets.remove(table);
                    outcomes.put(table, TableOutcome.notRegistered(table, name, TableStatus.FAILED, target.tableLocation(),
                            "Glue table name " + name + " collides: " + sources + " would land on one table; not merged", null));
                }
            }
        });
    }

    private TableOutcome registerTable(CatalogRequest request, String database, CopiedTable table, Target target,
            Optional<GlueTable> existing) {
        try {
            return registerTableOrFail(request, database, table, target, existing);
        } catch (CatalogAccessDeniedException e) {
            return denied(table, target, e);
        } catch (UnreadableFileException | UnsupportedSchemaException e) {
            return failed(table, target, e.getMessage());
        }
    }

    /** @param existing the Glue table as GetTables listed it before this export's tables started */
    private TableOutcome registerTableOrFail(CatalogRequest request, String database, CopiedTable table, Target target,
            Optional<GlueTable> existing) {
        List<LakeFile> files = lake.listFolder(target.bucket(), target.partitionPrefix()).stream()
                .filter(file -> file.key().endsWith(".parquet"))
                .sorted(Comparator.comparing(LakeFile::key))
                .toList();
        if (files.isEmpty()) {
            return TableOutcome.notRegistered(table, target.glueTable(), existing.isPresent() ? TableStatus.UNCHANGED : TableStatus.NOT_COPIED,
                    target.tableLocation(), "no Parquet files in " + table.location() + ": no partition to register", null);
        }
        Columns day = readColumns(files);
        if (day.problem() != null) {
            return failed(table, target, day.problem());
        }
        List<Column> columns = day.columns();

        TableStatus status;
        List<String> added = List.of();
        List<TypeChange> changes = List.of();
        List<String> missing = List.of();
        if (existing.isEmpty()) {
            GlueTable created = new GlueTable(target.glueTable(), target.tableLocation(), columns, Map.of(CLASSIFICATION, "parquet",
                    CREATED_BY_EXPORT, request.exportTaskId(), LATEST_PARTITION, request.date().toString()));
            if (!catalog.createTable(database, created)) {
                existing = catalog.table(database, target.glueTable()); // created meanwhile by another replica
            }
        }
        if (existing.isPresent()) {
            GlueTable current = existing.get();
            if (!sameFolder(current.location(), target.tableLocation())) {
                return failed(table, target, "Glue table " + database + "." + target.glueTable() + " already holds "
                        + current.location() + "; " + table.database() + "." + table.table() + " at " + target.tableLocation()
                        + " would land on it too: not merged");
            }
            Map<String, String> tableTypes = current.columns().stream().collect(Collectors.toMap(Column::name, Column::type, (a, b) -> a));
            Map<String, String> dayTypes = columns.stream().collect(Collectors.toMap(Column::name, Column::type));
            added = columns.stream().map(Column::name).filter(name -> !tableTypes.containsKey(name)).toList();
            changes = columns.stream().filter(column -> tableTypes.containsKey(column.name()) && !tableTypes.get(column.name()).equals(column.type()))
                    .map(column -> new TypeChange(column.name(), tableTypes.get(column.name()), column.type())).toList();
            missing = current.columns().stream().map(Column::name).filter(name -> !dayTypes.containsKey(name)).toList();
            status = !added.isEmpty() || !changes.isEmpty() ? TableStatus.UPDATED
                    : request.exportTaskId().equals(current.parameters().get(CREATED_BY_EXPORT)) ? TableStatus.CREATED : TableStatus.UNCHANGED;
        } else {
            status = TableStatus.CREATED;
        }

        PartitionResult partition = registerPartition(request, database, table, target, columns, status, added, changes, missing);
        if (partition.registered() && existing.isPresent()) {
            evolveTable(database, existing.get(), columns, request.date().toString());
        }
        return partition.outcome();
    }

    /** Reads every file's footer (in parallel) and merges the columns; files that disagree on a type fail the table. */
    private Columns readColumns(List<LakeFile> files) {
        List<CompletableFuture<List<Column>>> footers = files.stream().map(lake::columns).toList();
        Map<String, Column> merged = new LinkedHashMap<>();
        Map<String, LakeFile> firstSeen = new HashMap<>();
        String problem = null;
        for (int i = 0; i < files.size(); i++) {
            List<Column> columns = join(footers.get(i));
            for (Column column : columns) {
                Column earlier = merged.putIfAbsent(column.name(), column);
                if (earlier == null) {
                    firstSeen.put(column.name(), files.get(i));
                } else if (!earlier.type().equals(column.type()) && problem == null) {
                    problem = "file " + files.get(i).uri() + ": column " + column.name() + " is " + column.type() + " but "
                            + firstSeen.get(column.name()).uri() + " has it as " + earlier.type()
                            + "; one partition cannot read both, so the day is not registered";
                }
            }
        }
        return new Columns(List.copyOf(merged.values()), problem);
    }

    private PartitionResult registerPartition(CatalogRequest request, String database, CopiedTable table, Target target,
            List<Column> columns, TableStatus status, List<String> added, List<TypeChange> changes, List<String> missing) {
        String date = request.date().toString();
        GluePartition partition = new GluePartition(date, table.location(), columns,
                PartitionParameters.of(request, status, PartitionStatus.ADDED, added, changes, missing, null));
        List<PartitionError> errors = catalog.createPartitions(database, target.glueTable(), List.of(partition));
        if (errors.isEmpty()) {
            return PartitionResult.registered(outcome(table, target, status, PartitionStatus.ADDED, columns, added, changes, missing, null));
        }
        PartitionError error = errors.get(0);
        if (!error.alreadyExists()) {
            return PartitionResult.notRegistered(failed(table, target, "BatchCreatePartition refused date=" + date + ": "
                    + error.code() + ": " + error.message()));
        }
        GluePartition current = catalog.partition(database, target.glueTable(), date).orElseThrow(() -> new IllegalStateException(
                "Glue said partition date=" + date + " of " + database + "." + target.glueTable() + " exists, then that it does not"));
        boolean sameLocation = sameFolder(current.location(), table.location());
        boolean sameColumns = current.columns().equals(columns);
        if (sameLocation && sameColumns && request.exportTaskId().equals(current.parameters().get(PartitionParameters.EXPORT_TASK_ID))) {
            // Registered by this very export before (a replay, or a redelivery after a crash): report what that did.
            return PartitionResult.registered(PartitionParameters.recorded(table, target.glueTable(), target.tableLocation(), current));
        }
        if (sameLocation && sameColumns) {
            return PartitionResult.registered(outcome(table, target, status, PartitionStatus.ALREADY_PRESENT, columns, added, changes,
                    missing, null));
        }
        if (!sameLocation && !incomingWins(request, current)) {
            String message = "date=" + date + " stays at " + current.location() + " (export "
                    + current.parameters().getOrDefault(PartitionParameters.EXPORT_TASK_ID, "unknown") + " of snapshot "
                    + current.parameters().getOrDefault(PartitionParameters.SNAPSHOT_ID, "unknown")
                    + ", newer than this export's snapshot " + request.snapshotId() + "); " + table.location() + " not registered";
            return PartitionResult.notRegistered(new TableOutcome(table.database(), table.table(), target.glueTable(), TableStatus.UNCHANGED,
                    PartitionStatus.ALREADY_PRESENT, target.tableLocation(), current.location(), current.columns(), List.of(), List.of(),
                    List.of(), message, null));
        }
        String message = null;
        if (!sameLocation) {
            message = "date=" + date + " switched from " + current.location() + " (export "
                    + current.parameters().getOrDefault(PartitionParameters.EXPORT_TASK_ID, "unknown") + ") to " + table.location();
        }
        GluePartition replacement = new GluePartition(date, table.location(), columns,
                PartitionParameters.of(request, status, PartitionStatus.UPDATED, added, changes, missing, message));
        catalog.updatePartition(database, target.glueTable(), replacement);
        if (!sameLocation) {
            int deleted = deleteReplaced(request, target, current.location(), table.location());
            message += deleted < 0 ? "; the old files are outside this table's day folder and were left in place"
                    : "; " + deleted + " object(s) of the replaced export deleted";
            // Record the final message too, so that a replay reports the same.
            catalog.updatePartition(database, target.glueTable(), new GluePartition(date, table.location(), columns,
                    PartitionParameters.of(request, status, PartitionStatus.UPDATED, added, changes, missing, message)));
        }
        return PartitionResult.registered(outcome(table, target, status, PartitionStatus.UPDATED, columns, added, changes, missing, message));
    }

    /** The newest snapshot of the day wins (created-at, then snapshot id); for the same snapshot the later (incoming) export. */
    private static boolean incomingWins(CatalogRequest request, GluePartition current) {
        Map<String, String> p = current.parameters();
        String currentArn = p.get(PartitionParameters.SNAPSHOT_ARN);
        if (currentArn == null || currentArn.equals(request.snapshotArn())) {
            return true; // of unknown origin (crawled, hand-made) or the same snapshot re-exported
        }
        long currentCreated = p.containsKey(PartitionParameters.SNAPSHOT_CREATED_AT) ? Long.parseLong(p.get(PartitionParameters.SNAPSHOT_CREATED_AT)) : Long.MIN_VALUE;
        long incomingCreated = request.snapshotCreatedAt() == null ? Long.MIN_VALUE : request.snapshotCreatedAt();
        if (incomingCreated != currentCreated) {
            return incomingCreated > currentCreated;
        }
        return Objects.requireNonNullElse(request.snapshotId(), "").compareTo(p.getOrDefault(PartitionParameters.SNAPSHOT_ID, "")) >= 0;
    }

    /** Deletes the replaced export's files if they lie in this table's day folder of the lake; -1 if they do not. */
    private int deleteReplaced(CatalogRequest request, Target target, String oldLocation, String newLocation) {
        S3Location old = S3Location.parse(oldLocation);
        String dayFolder = target.tableKeyPrefix() + "date=" + request.date() + "/";
        if (!old.bucket().equals(request.lakeBucket()) || !old.bucket().equals(target.bucket()) || !old.key().startsWith(dayFolder)) {
            return -1;
        }
        return lake.deleteUnder(old.bucket(), old.key(), S3Location.parse(newLocation).key());
    }

    private void evolveTable(String database, GlueTable current, List<Column> dayColumns, String date) {
        String latest = current.parameters().getOrDefault(LATEST_PARTITION, "");
        boolean newest = date.compareTo(latest) >= 0;
        Map<String, String> dayTypes = dayColumns.stream().collect(Collectors.toMap(Column::name, Column::type));
        List<Column> columns = new ArrayList<>();
        for (Column column : current.columns()) {
            // The table takes a changed type from its newest day on; an older day replayed does not turn it back.
            columns.add(newest && dayTypes.containsKey(column.name()) ? new Column(column.name(), dayTypes.get(column.name())) : column);
        }
        dayColumns.stream().filter(column -> current.columns().stream().noneMatch(c -> c.name().equals(column.name()))).forEach(columns::add);
        Map<String, String> parameters = new LinkedHashMap<>(current.parameters());
        if (newest) {
            parameters.put(LATEST_PARTITION, date);
        }
        GlueTable evolved = new GlueTable(current.name(), current.location(), columns, parameters);
        if (!evolved.equals(current)) {
            catalog.updateTable(database, evolved);
        }
    }

    private static TableOutcome outcome(CopiedTable table, Target target, TableStatus status, PartitionStatus partitionStatus,
            List<Column> columns, List<String> added, List<TypeChange> changes, List<String> missing, String message) {
        return new TableOutcome(table.database(), table.table(), target.glueTable(), status, partitionStatus, target.tableLocation(),
                table.location(), columns, added, changes, missing, message, null);
    }

    private static TableOutcome failed(CopiedTable table, Target target, String message) {
        return TableOutcome.notRegistered(table, target.glueTable(), TableStatus.FAILED, target.tableLocation(), message, null);
    }

    private static TableOutcome denied(CopiedTable table, Target target, CatalogAccessDeniedException e) {
        return TableOutcome.notRegistered(table, target.glueTable(), TableStatus.FAILED, target.tableLocation(),
                "access denied: the service's role lacks " + e.permission() + " (" + e.getMessage() + ")", e.permission());
    }

    private static boolean sameFolder(String a, String b) {
        return a != null && b != null && a.replaceAll("/+$", "").equals(b.replaceAll("/+$", ""));
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private record Columns(List<Column> columns, String problem) {
    }

    private record PartitionResult(TableOutcome outcome, boolean registered) {
        static PartitionResult registered(TableOutcome outcome) {
            return new PartitionResult(outcome, true);
        }

        static PartitionResult notRegistered(TableOutcome outcome) {
            return new PartitionResult(outcome, false);
        }
    }

    /**
     * Where a copied table goes: the Glue table named after its lake folder, the table location (the
     * partition location up to, not including, {@code date=}), and the partition's folder.
     */
    record Target(String glueTable, String bucket, String tableKeyPrefix, String partitionPrefix) {

        static Target of(CopiedTable table) {
            if (table.location() == null) {
                throw new IllegalArgumentException("the copier reported no lake location for " + table.database() + "." + table.table());
            }
            S3Location location = S3Location.parse(table.location());
            String key = location.key().endsWith("/") ? location.key() : location.key() + "/";
            int date = key.startsWith("date=") ? 0 : key.indexOf("/date=") + 1;
            if (date <= 0 && !key.startsWith("date=")) {
                throw new IllegalArgumentException("lake location " + table.location() + " of " + table.database() + "." + table.table()
                        + " has no date= folder: cannot tell the table's folder");
            }
            String tablePrefix = key.substring(0, date);
            String folder = tablePrefix.replaceAll("/+$", "");
            folder = folder.substring(folder.lastIndexOf('/') + 1);
            if (folder.isEmpty()) {
                throw new IllegalArgumentException("lake location " + table.location() + " has no table folder before date=");
            }
            return new Target(GlueNames.table(table.database(), folder), location.bucket(), tablePrefix, key);
        }

        String tableLocation() {
            return "s3://" + bucket + "/" + tableKeyPrefix;
        }
    }
}
