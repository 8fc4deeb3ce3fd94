package io.snaplake.crawlerrunner.domain;

import io.snaplake.crawlerrunner.domain.CatalogRequest.CopiedTable;
import io.snaplake.crawlerrunner.domain.TableOutcome.PartitionStatus;
import io.snaplake.crawlerrunner.domain.TableOutcome.TableStatus;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Registers one table-day's {@code date} partition. When the day is already registered it recognises its own earlier
 * registration (and reports what that did), or decides which of two exports of the day wins and switches to it.
 */
final class PartitionRegistrar {

    private final Catalog catalog;
    private final LakeStore lake;

    PartitionRegistrar(Catalog catalog, LakeStore lake) {
        this.catalog = catalog;
        this.lake = lake;
    }

    /** The outcome, and whether the partition now holds this export's day (then the table evolves with it). */
    record Result(TableOutcome outcome, boolean registered) {
    }

    Result register(CatalogRequest request, String database, TableTarget target, List<Column> columns, TableStatus status,
            ColumnChanges changes) {
        CopiedTable table = target.table();
        String date = request.date().toString();
        GluePartition partition = new GluePartition(date, table.location(), columns,
                PartitionParameters.of(request, status, PartitionStatus.ADDED, changes, null));
        List<PartitionError> errors = catalog.createPartitions(database, target.glueTable(), List.of(partition));
        if (errors.isEmpty()) {
            return new Result(target.registered(status, PartitionStatus.ADDED, columns, changes, null), true);
        }
        PartitionError error = errors.get(0);
        if (!error.alreadyExists()) {
            return new Result(target.failed("BatchCreatePartition refused date=" + date + ": " + error.code() + ": " + error.message()), false);
        }
        GluePartition current = catalog.partition(database, target.glueTable(), date).orElseThrow(() -> new IllegalStateException(
                "Glue said partition date=" + date + " of " + database + "." + target.glueTable() + " exists, then that it does not"));
        boolean sameLocation = S3Location.sameFolder(current.location(), table.location());
        boolean sameColumns = current.columns().equals(columns);
        if (sameLocation && sameColumns && request.exportTaskId().equals(current.parameters().get(PartitionParameters.EXPORT_TASK_ID))) {
            // Registered by this very export before (a replay, or a redelivery after a crash): report what that did.
            return new Result(PartitionParameters.recorded(table, target.glueTable(), target.tableLocation(), current), true);
        }
        if (sameLocation && sameColumns) {
            return new Result(target.registered(status, PartitionStatus.ALREADY_PRESENT, columns, changes, null), true);
        }
        if (!sameLocation && !incomingWins(request, current)) {
            String message = "date=" + date + " stays at " + current.location() + " (export " + exportOf(current) + " of snapshot "
                    + current.parameters().getOrDefault(PartitionParameters.SNAPSHOT_ID, "unknown")
                    + ", newer than this export's snapshot " + request.snapshotId() + "); " + table.location() + " not registered";
            return new Result(TableOutcome.of(table, target.glueTable(), TableStatus.UNCHANGED, PartitionStatus.ALREADY_PRESENT,
                    target.tableLocation(), current.location(), current.columns(), ColumnChanges.NONE, message), false);
        }
        String message = sameLocation ? null
                : "date=" + date + " switched from " + current.location() + " (export " + exportOf(current) + ") to " + table.location();
        catalog.updatePartition(database, target.glueTable(), new GluePartition(date, table.location(), columns,
                PartitionParameters.of(request, status, PartitionStatus.UPDATED, changes, message)));
        if (!sameLocation) {
            int deleted = deleteReplaced(request, target, current.location(), table.location());
            message += deleted < 0 ? "; the old files are outside this table's day folder and were left in place"
                    : "; " + deleted + " object(s) of the replaced export deleted";
            // Record the final message too, so that a replay reports the same.
            catalog.updatePartition(database, target.glueTable(), new GluePartition(date, table.location(), columns,
                    PartitionParameters.of(request, status, PartitionStatus.UPDATED, changes, message)));
        }
        return new Result(target.registered(status, PartitionStatus.UPDATED, columns, changes, message), true);
    }

    /** The newest snapshot of the day wins (created-at, then snapshot id); for the same snapshot the later (incoming) export. */
    private static boolean incomingWins(CatalogRequest request, GluePartition current) {
        Map<String, String> p = current.parameters();
        String currentArn = p.get(PartitionParameters.SNAPSHOT_ARN);
        if (currentArn == null || currentArn.equals(request.snapshotArn())) {
            return true; // of unknown origin (crawled, hand-made) or the same snapshot re-exported
        }
        long currentCreated = p.containsKey(PartitionParameters.SNAPSHOT_CREATED_AT)
                ? Long.parseLong(p.get(PartitionParameters.SNAPSHOT_CREATED_AT)) : Long.MIN_VALUE;
        long incomingCreated = request.snapshotCreatedAt() == null ? Long.MIN_VALUE : request.snapshotCreatedAt();
        if (incomingCreated != currentCreated) {
            return incomingCreated > currentCreated;
        }
        return Objects.requireNonNullElse(request.snapshotId(), "").compareTo(p.getOrDefault(PartitionParameters.SNAPSHOT_ID, "")) >= 0;
    }

    /** Deletes the replaced export's files if they lie in this table's day folder of the lake; -1 if they do not. */
    private int deleteReplaced(CatalogRequest request, TableTarget target, String oldLocation, String newLocation) {
        S3Location old = S3Location.parse(oldLocation);
        String dayFolder = target.tableKeyPrefix() + "date=" + request.date() + "/";
        if (!old.bucket().equals(request.lakeBucket()) || !old.bucket().equals(target.bucket()) || !old.key().startsWith(dayFolder)) {
            return -1;
        }
        return lake.deleteUnder(old.bucket(), old.key(), S3Location.parse(newLocation).key());
    }

    private static String exportOf(GluePartition partition) {
        return partition.parameters().getOrDefault(PartitionParameters.EXPORT_TASK_ID, "unknown");
    }
}
