package io.snaplake.parquetcopier.domain;

import java.util.List;

/**
 * The outcome of copying one export.
 *
 * @param exportProblem why nothing could be copied (the export's description is missing), or null
 */
public record ExportCopyReport(List<TableReport> tables, List<ExportManifest.SkippedDatabase> skippedDatabases,
        String exportProblem) {

    public ExportCopyReport {
        tables = List.copyOf(tables);
        skippedDatabases = List.copyOf(skippedDatabases);
    }

    public static ExportCopyReport unreadable(String problem) {
        return new ExportCopyReport(List.of(), List.of(), problem);
    }

    /** True if the export was readable and no table failed (tables the export itself skipped are reported, not failed). */
    public boolean complete() {
        return exportProblem == null && failedTables().isEmpty();
    }

    public List<TableReport> failedTables() {
        return tables.stream().filter(table -> table.status() == TableCopyStatus.FAILED).toList();
    }

    public long filesCopied() {
        return tables.stream().mapToLong(TableReport::filesCopied).sum();
    }

    public long bytesCopied() {
        return tables.stream().mapToLong(TableReport::bytesCopied).sum();
    }
}
