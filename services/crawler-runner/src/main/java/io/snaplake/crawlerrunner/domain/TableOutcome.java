package io.snaplake.crawlerrunner.domain;

import java.util.List;

/** What cataloguing did to one table of an export (the domain side of CrawlCompleted's CatalogedTable). */
public record TableOutcome(String sourceDatabase, String sourceTable, String glueTable, TableStatus status,
        PartitionStatus partitionStatus, String tableLocation, String partitionLocation, List<Column> columns,
        List<String> columnsAdded, List<TypeChange> typeChanges, List<String> columnsMissing, String message,
        String missingPermission) {

    public TableOutcome {
        columns = List.copyOf(columns);
        columnsAdded = List.copyOf(columnsAdded);
        typeChanges = List.copyOf(typeChanges);
        columnsMissing = List.copyOf(columnsMissing);
    }

    public enum TableStatus { CREATED, UPDATED, UNCHANGED, FAILED, NOT_COPIED }

    public enum PartitionStatus { ADDED, ALREADY_PRESENT, UPDATED, NOT_REGISTERED }

    /** A column whose type in this day's files differs from the table's. */
    public record TypeChange(String column, String oldType, String newType) {
    }

    public boolean catalogued() {
        return status != TableStatus.FAILED && status != TableStatus.NOT_COPIED;
    }

    static TableOutcome of(CatalogRequest.CopiedTable table, String glueTable, TableStatus status, PartitionStatus partitionStatus,
            String tableLocation, String partitionLocation, List<Column> columns, ColumnChanges changes, String message) {
        return new TableOutcome(table.database(), table.table(), glueTable, status, partitionStatus, tableLocation, partitionLocation,
                columns, changes.added(), changes.typeChanges(), changes.missing(), message, null);
    }

    static TableOutcome notRegistered(CatalogRequest.CopiedTable table, String glueTable, TableStatus status,
            String tableLocation, String message, String missingPermission) {
        return new TableOutcome(table.database(), table.table(), glueTable, status, PartitionStatus.NOT_REGISTERED,
                tableLocation, table.location(), List.of(), List.of(), List.of(), List.of(), message, missingPermission);
    }
}
