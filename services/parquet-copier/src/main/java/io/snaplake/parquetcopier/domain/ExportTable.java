package io.snaplake.parquetcopier.domain;

/**
 * One perTableStatus entry of an export: {@code target} is {@code db.schema.table} (PostgreSQL) or
 * {@code db.table} (MySQL); the export's folder for it is {@code <db>/<schema.table>/}.
 */
public record ExportTable(String database, String table, String exportStatus, String warningMessage) {

    public boolean isComplete() {
        return "COMPLETE".equals(exportStatus);
    }
}
