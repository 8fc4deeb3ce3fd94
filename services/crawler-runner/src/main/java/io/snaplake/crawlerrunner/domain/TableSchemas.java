package io.snaplake.crawlerrunner.domain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Glue table of a lake folder as direct registration writes it: created from its first day's columns, then
 * evolved by each newer day (columns added, types taken from the newest day; no column is ever dropped).
 */
final class TableSchemas {

    static final String CLASSIFICATION = "classification";
    static final String CREATED_BY_EXPORT = "snaplake.createdByExport";
    static final String LATEST_PARTITION = "snaplake.latestPartition";

    private TableSchemas() {
    }

    static GlueTable created(TableTarget target, List<Column> columns, CatalogRequest request) {
        return new GlueTable(target.glueTable(), target.tableLocation(), columns, Map.of(CLASSIFICATION, "parquet",
                CREATED_BY_EXPORT, request.exportTaskId(), LATEST_PARTITION, request.date().toString()));
    }

    /** True when {@code table} was created by this very export (a replay reports it CREATED again). */
    static boolean createdBy(GlueTable table, CatalogRequest request) {
        return request.exportTaskId().equals(table.parameters().get(CREATED_BY_EXPORT));
    }

    /**
     * The table after registering a day of {@code dayColumns}: new columns appended; a changed type taken only if the
     * day is the table's newest (an older day replayed does not turn it back).
     */
    static GlueTable evolved(GlueTable current, List<Column> dayColumns, String date) {
        boolean newest = date.compareTo(current.parameters().getOrDefault(LATEST_PARTITION, "")) >= 0;
        Map<String, String> dayTypes = ColumnChanges.types(dayColumns);
        List<Column> columns = new ArrayList<>();
        for (Column column : current.columns()) {
            columns.add(newest && dayTypes.containsKey(column.name()) ? new Column(column.name(), dayTypes.get(column.name())) : column);
        }
        dayColumns.stream().filter(column -> current.columns().stream().noneMatch(c -> c.name().equals(column.name()))).forEach(columns::add);
        Map<String, String> parameters = new LinkedHashMap<>(current.parameters());
        if (newest) {
            parameters.put(LATEST_PARTITION, date);
        }
        return new GlueTable(current.name(), current.location(), columns, parameters);
    }
}
