package io.snaplake.sharing.domain;

import java.util.List;
import java.util.Optional;

/**
 * A Lake Formation data cells filter.
 *
 * @param columns   the include list (the sharer always writes one); empty with a non-empty {@code excluded}
 *                  or for a filter with a column wildcard someone else created
 * @param excluded  the excluded columns of a column-wildcard filter
 * @param rowFilter a PartiQL filter, or empty for all rows
 */
public record CellsFilter(String database, String table, String name, List<String> columns, List<String> excluded,
        boolean allColumns, Optional<String> rowFilter) {

    public CellsFilter {
        columns = List.copyOf(columns);
        excluded = List.copyOf(excluded);
    }

    public static CellsFilter including(String database, String table, String name, List<String> columns, Optional<String> rowFilter) {
        return new CellsFilter(database, table, name, columns, List.of(), false, rowFilter);
    }

    /** The columns a reader of this filter sees, among the table's columns. */
    public List<String> visibleColumns(List<String> tableColumns) {
        if (allColumns) {
            return tableColumns.stream().filter(column -> !excluded.contains(column)).toList();
        }
        return tableColumns.stream().filter(columns::contains).toList();
    }

    @Override
    public String toString() {
        return database + "." + table + "/" + name + (allColumns ? " all columns except " + excluded : " include " + columns)
                + rowFilter.map(filter -> " rows where " + filter).orElse(" all rows");
    }
}
