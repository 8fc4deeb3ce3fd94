package io.snaplake.crawlerrunner.domain;

import java.util.List;

/** The outcome of cataloguing one export: the Glue database and every table's outcome, in the export's order. */
public record CatalogReport(String database, List<TableOutcome> tables) {

    public CatalogReport {
        tables = List.copyOf(tables);
    }

    /** True when every table was catalogued (none failed, none left uncopied). */
    public boolean complete() {
        return tables.stream().allMatch(TableOutcome::catalogued);
    }

    public List<TableOutcome> failed() {
        return tables.stream().filter(table -> table.status() == TableOutcome.TableStatus.FAILED).toList();
    }
}
