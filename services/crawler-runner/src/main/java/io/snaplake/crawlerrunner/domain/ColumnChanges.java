package io.snaplake.crawlerrunner.domain;

import io.snaplake.crawlerrunner.domain.TableOutcome.TypeChange;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** How a table's columns changed from one schema to the next: columns added, types changed, columns missing. */
record ColumnChanges(List<String> added, List<TypeChange> typeChanges, List<String> missing) {

    static final ColumnChanges NONE = new ColumnChanges(List.of(), List.of(), List.of());

    ColumnChanges {
        added = List.copyOf(added);
        typeChanges = List.copyOf(typeChanges);
        missing = List.copyOf(missing);
    }

    static ColumnChanges between(List<Column> before, List<Column> after) {
        Map<String, String> oldTypes = types(before);
        Map<String, String> newTypes = types(after);
        return new ColumnChanges(
                after.stream().map(Column::name).filter(name -> !oldTypes.containsKey(name)).toList(),
                after.stream().filter(column -> oldTypes.containsKey(column.name()) && !oldTypes.get(column.name()).equals(column.type()))
                        .map(column -> new TypeChange(column.name(), oldTypes.get(column.name()), column.type())).toList(),
                before.stream().map(Column::name).filter(name -> !newTypes.containsKey(name)).toList());
    }

    /** Columns added or retyped: the table's schema changes (columns missing leave it as it is). */
    boolean altersTable() {
        return !added.isEmpty() || !typeChanges.isEmpty();
    }

    static Map<String, String> types(List<Column> columns) {
        return columns.stream().collect(Collectors.toMap(Column::name, Column::type, (first, second) -> first));
    }
}
