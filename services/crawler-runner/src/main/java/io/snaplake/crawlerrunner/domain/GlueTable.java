package io.snaplake.crawlerrunner.domain;

import java.util.List;
import java.util.Map;

/**
 * A Glue table as the registrar writes it: an external Parquet table partitioned by {@code date} (string),
 * located at the table's lake folder.
 */
public record GlueTable(String name, String location, List<Column> columns, Map<String, String> parameters) {

    public GlueTable {
        columns = List.copyOf(columns);
        parameters = Map.copyOf(parameters);
    }
}
