package io.snaplake.crawlerrunner.domain;

import io.snaplake.crawlerrunner.domain.TableOutcome.PartitionStatus;
import io.snaplake.crawlerrunner.domain.TableOutcome.TableStatus;
import io.snaplake.crawlerrunner.domain.TableOutcome.TypeChange;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What the registrar writes on each partition's Parameters: where its files came from (which of two exports of a
 * day wins) and what registering it changed (so that a replay reports what the first registration did).
 */
final class PartitionParameters {

    static final String EXPORT_TASK_ID = "snaplake.exportTaskId";
    static final String SNAPSHOT_ARN = "snaplake.snapshotArn";
    static final String SNAPSHOT_ID = "snaplake.snapshotId";
    static final String SNAPSHOT_CREATED_AT = "snaplake.snapshotCreatedAt";
    static final String TABLE_STATUS = "snaplake.tableStatus";
    static final String PARTITION_STATUS = "snaplake.partitionStatus";
    static final String COLUMNS_ADDED = "snaplake.columnsAdded";
    static final String TYPE_CHANGES = "snaplake.typeChanges";
    static final String COLUMNS_MISSING = "snaplake.columnsMissing";
    static final String MESSAGE = "snaplake.message";

    private PartitionParameters() {
    }

    static Map<String, String> of(CatalogRequest request, TableStatus tableStatus, PartitionStatus partitionStatus, ColumnChanges changes,
            String message) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put(EXPORT_TASK_ID, request.exportTaskId());
        putIfPresent(parameters, SNAPSHOT_ARN, request.snapshotArn());
        putIfPresent(parameters, SNAPSHOT_ID, request.snapshotId());
        putIfPresent(parameters, SNAPSHOT_CREATED_AT, request.snapshotCreatedAt() == null ? null : request.snapshotCreatedAt().toString());
        parameters.put(TABLE_STATUS, tableStatus.name());
        parameters.put(PARTITION_STATUS, partitionStatus.name());
        parameters.put(COLUMNS_ADDED, String.join(",", changes.added()));
        parameters.put(TYPE_CHANGES, changes.typeChanges().stream().map(change -> change.column() + ":" + change.oldType() + "->"
                + change.newType()).collect(Collectors.joining(";")));
        parameters.put(COLUMNS_MISSING, String.join(",", changes.missing()));
        putIfPresent(parameters, MESSAGE, message);
        return parameters;
    }

    /** The outcome recorded when the partition was registered, as the first registration reported it. */
    static TableOutcome recorded(CatalogRequest.CopiedTable table, String glueTable, String tableLocation, GluePartition partition) {
        Map<String, String> p = partition.parameters();
        return TableOutcome.of(table, glueTable, TableStatus.valueOf(p.getOrDefault(TABLE_STATUS, TableStatus.UNCHANGED.name())),
                PartitionStatus.valueOf(p.getOrDefault(PARTITION_STATUS, PartitionStatus.ALREADY_PRESENT.name())),
                tableLocation, partition.location(), partition.columns(), new ColumnChanges(list(p.get(COLUMNS_ADDED)),
                        list(p.get(TYPE_CHANGES), ";").stream().map(PartitionParameters::typeChange).toList(), list(p.get(COLUMNS_MISSING))),
                p.get(MESSAGE));
    }

    private static TypeChange typeChange(String encoded) {
        int colon = encoded.indexOf(':');
        int arrow = encoded.indexOf("->", colon);
        return new TypeChange(encoded.substring(0, colon), encoded.substring(colon + 1, arrow), encoded.substring(arrow + 2));
    }

    private static List<String> list(String joined) {
        return list(joined, ",");
    }

    private static List<String> list(String joined, String separator) {
        return joined == null || joined.isEmpty() ? List.of() : Arrays.asList(joined.split(separator));
    }

    private static void putIfPresent(Map<String, String> parameters, String key, String value) {
        if (value != null) {
            parameters.put(key, value);
        }
    }
}
