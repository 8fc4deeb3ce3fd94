package io.snaplake.sharing.domain;

import java.util.Map;
import java.util.Optional;

/**
 * The values of one LF-Tag key assigned directly to a table and to its columns (not inherited).
 *
 * @param table   the value assigned to the table itself, if any (otherwise it inherits the database's)
 * @param columns per column, the value assigned to that column (otherwise it inherits the table's)
 */
public record TableTags(Optional<String> table, Map<String, String> columns) {

    public TableTags {
        columns = Map.copyOf(columns);
    }

    public static TableTags none() {
        return new TableTags(Optional.empty(), Map.of());
    }

    /** The value a column has: its own, or the table's, or the database's. */
    public Optional<String> effective(String column, Optional<String> databaseValue) {
        return Optional.ofNullable(columns.get(column)).or(() -> table).or(() -> databaseValue);
    }
}
