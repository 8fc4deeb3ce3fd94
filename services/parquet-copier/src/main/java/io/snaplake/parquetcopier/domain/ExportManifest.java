package io.snaplake.parquetcopier.domain;

import java.util.List;

/** What an export says it exported: its tables with their status, and the databases it skipped. */
public record ExportManifest(List<ExportTable> tables, List<SkippedDatabase> skippedDatabases) {

    public ExportManifest {
        tables = List.copyOf(tables);
        skippedDatabases = List.copyOf(skippedDatabases);
    }

    public record SkippedDatabase(String database, String warningMessage) {
    }
}
