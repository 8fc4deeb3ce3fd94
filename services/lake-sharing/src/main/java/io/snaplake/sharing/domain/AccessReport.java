package io.snaplake.sharing.domain;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What one account can read, computed from Lake Formation's actual state.
 *
 * @param tables      per table, the columns the account reads and through which grants
 * @param exposures   sensitive columns the account reads: must be empty
 * @param dangling    grants that point at nothing (a data cells filter that does not exist)
 */
public record AccessReport(String accountId, List<ReadableTable> tables, List<Exposure> exposures, List<String> dangling) {

    public AccessReport {
        tables = List.copyOf(tables);
        exposures = List.copyOf(exposures);
        dangling = List.copyOf(dangling);
    }

    public boolean sensitiveReadable() {
        return !exposures.isEmpty();
    }

    public Optional<ReadableTable> table(String database, String table) {
        return tables.stream().filter(t -> t.database().equals(database) && t.table().equals(table)).findFirst();
    }

    /**
     * @param columns    readable columns, in table order
     * @param via        the grants that give them, described
     * @param rowFilters row filters applying (empty when some grant gives all rows)
     */
    public record ReadableTable(String database, String table, List<String> columns, List<String> via, List<String> rowFilters) {
        public ReadableTable {
            columns = List.copyOf(columns);
            via = List.copyOf(via);
            rowFilters = List.copyOf(rowFilters);
        }
    }

    public record Exposure(String database, String table, String column, String pattern, List<String> via) {
        @Override
        public String toString() {
            return database + "." + table + "." + column + " (matches " + pattern + ") via " + via;
        }
    }

    public String print() {
        StringBuilder out = new StringBuilder("Account " + accountId + " can read:\n");
        if (tables.isEmpty()) {
            out.append("  nothing\n");
        }
        tables.forEach(table -> out.append("  ").append(table.database()).append('.').append(table.table()).append(' ')
                .append(table.columns()).append(table.rowFilters().isEmpty() ? "" : " rows where " + String.join(" or ", table.rowFilters()))
                .append("  via ").append(String.join("; ", table.via())).append('\n'));
        dangling.forEach(grant -> out.append("  (grant on nothing: ").append(grant).append(")\n"));
        if (exposures.isEmpty()) {
            out.append("No sensitive column is readable.\n");
        } else {
            out.append("SENSITIVE COLUMNS READABLE:\n");
            exposures.forEach(exposure -> out.append("  ").append(exposure).append('\n'));
        }
        return out.toString();
    }

    static String join(List<String> values) {
        return values.stream().collect(Collectors.joining(", "));
    }
}
