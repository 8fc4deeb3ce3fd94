package io.snaplake.crawlerrunner.domain;

import java.util.List;
import java.util.Map;

/** A Glue partition: its value of {@code date}, its location, its own column list and parameters. */
public record GluePartition(String date, String location, List<Column> columns, Map<String, String> parameters) {

    public GluePartition {
        columns = List.copyOf(columns);
        parameters = Map.copyOf(parameters);
    }
}
