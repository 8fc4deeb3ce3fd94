package io.snaplake.sharing.domain;

import java.util.List;

/** The Glue Data Catalog, read only: which tables and columns exist. */
public interface Catalog {

    /** Every Glue database's name. */
    List<String> databases();

    /** Every table of {@code database}, or an empty list when the database does not exist. */
    List<CatalogTable> tables(String database);
}
