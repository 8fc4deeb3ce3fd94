package io.snaplake.crawlerrunner.domain;

import io.snaplake.crawlerrunner.domain.CatalogRequest.CopiedTable;
import io.snaplake.crawlerrunner.domain.TableOutcome.PartitionStatus;
import io.snaplake.crawlerrunner.domain.TableOutcome.TableStatus;
import java.util.List;

/**
 * Where a copied table goes: the Glue table named after its lake folder, the table location (the partition
 * location up to, not including, {@code date=}), and the partition's folder.
 */
record TableTarget(CopiedTable table, String glueTable, String bucket, String tableKeyPrefix, String partitionPrefix) {

    /** @throws IllegalArgumentException when the copier reported no location, or one without a table folder and a {@code date=} folder */
    static TableTarget of(CopiedTable table) {
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
        String folder = S3Location.folder(tablePrefix);
        folder = folder.substring(folder.lastIndexOf('/') + 1);
        if (folder.isEmpty()) {
            throw new IllegalArgumentException("lake location " + table.location() + " has no table folder before date=");
        }
        return new TableTarget(table, GlueNames.table(table.database(), folder), location.bucket(), tablePrefix, key);
    }

    String tableLocation() {
        return "s3://" + bucket + "/" + tableKeyPrefix;
    }

    /** The day's partition registered (or found) at the copier's location. */
    TableOutcome registered(TableStatus status, PartitionStatus partitionStatus, List<Column> columns, ColumnChanges changes, String message) {
        return TableOutcome.of(table, glueTable, status, partitionStatus, tableLocation(), table.location(), columns, changes, message);
    }

    TableOutcome failed(String message) {
        return TableOutcome.notRegistered(table, glueTable, TableStatus.FAILED, tableLocation(), message, null);
    }

    TableOutcome denied(CatalogAccessDeniedException e) {
        return TableOutcome.notRegistered(table, glueTable, TableStatus.FAILED, tableLocation(),
                "access denied: the service's role lacks " + e.permission() + " (" + e.getMessage() + ")", e.permission());
    }
}
