package io.snaplake.sharing.domain;

import java.util.List;
import java.util.Optional;

/**
 * A Glue table as the sharer needs it.
 *
 * @param database      Glue database
 * @param name          Glue table name
 * @param columns       data columns in order (partition keys excluded), lower case as Glue stores them
 * @param partitionKeys partition key names (e.g. date)
 * @param location      s3:// location of the table, when set
 */
public record CatalogTable(String database, String name, List<String> columns, List<String> partitionKeys,
        Optional<String> location) {

    public CatalogTable {
        columns = List.copyOf(columns);
        partitionKeys = List.copyOf(partitionKeys);
    }

    /** Every column a reader of the whole table sees: data columns, then partition keys. */
    public List<String> allColumns() {
        return java.util.stream.Stream.concat(columns.stream(), partitionKeys.stream()).toList();
    }
}
