package io.snaplake.rdsexportwriter;

import java.util.List;
import java.util.Objects;

/**
 * One table of an export.
 *
 * @param database     database name, e.g. {@code orders}
 * @param table        table as the export names it: {@code schema.table} (PostgreSQL) or {@code table} (MySQL)
 * @param layout       where the part files go below the table folder
 * @param files        number of part files
 * @param filesPerBatch how many part files per batch folder (ignored for {@link BatchLayout#FLAT})
 * @param rowsPerFile  rows per Parquet file (PARQUET content)
 * @param status       perTableStatus status: {@code COMPLETE}, or e.g. {@code FAILED} for a table the export did not finish
 * @param warningMessage perTableStatus warningMessage, or null
 * @param columns      the table's columns and their Parquet types ({@link RdsColumns#standard()} unless told otherwise)
 */
public record TableSpec(String database, String table, BatchLayout layout, int files, int filesPerBatch, int rowsPerFile,
        String status, String warningMessage, List<RdsColumn> columns) {

    public TableSpec {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(status, "status");
        if (files < 0 || filesPerBatch < 1 || rowsPerFile < 1) {
            throw new IllegalArgumentException("files >= 0, filesPerBatch >= 1 and rowsPerFile >= 1 are required for " + table);
        }
        columns = columns == null ? RdsColumns.standard() : List.copyOf(columns);
    }

    /** A table the export completed, with {@code files} part files. */
    public static TableSpec complete(String database, String table, BatchLayout layout, int files) {
        return new TableSpec(database, table, layout, files, 4, 200, "COMPLETE", null, null);
    }

    /** A table the export did not complete: a part file may exist, but the table must not be trusted. */
    public static TableSpec failed(String database, String table, String warningMessage) {
        return new TableSpec(database, table, BatchLayout.NUMBERED_BATCHES, 1, 4, 200, "FAILED", warningMessage, null);
    }

    public TableSpec withFilesPerBatch(int count) {
        return new TableSpec(database, table, layout, files, count, rowsPerFile, status, warningMessage, columns);
    }

    public TableSpec withRowsPerFile(int count) {
        return new TableSpec(database, table, layout, files, filesPerBatch, count, status, warningMessage, columns);
    }

    /** The same table with other columns (e.g. {@link RdsColumns#mysql()}, or a column added or retyped). */
    public TableSpec withColumns(List<RdsColumn> newColumns) {
        return new TableSpec(database, table, layout, files, filesPerBatch, rowsPerFile, status, warningMessage, newColumns);
    }

    /** {@code db.schema.table}: the perTableStatus target. */
    public String target() {
        return database + "." + table;
    }

    public boolean isComplete() {
        return "COMPLETE".equals(status);
    }
}
