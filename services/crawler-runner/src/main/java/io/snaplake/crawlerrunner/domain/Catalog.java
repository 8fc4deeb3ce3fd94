package io.snaplake.crawlerrunner.domain;

import java.util.List;
import java.util.Optional;

/**
 * The Glue Data Catalog, as the registrar needs it. The Glue-backed implementation retries throttling,
 * concurrent modification, timeouts and 5xx, raises {@link CatalogAccessDeniedException} naming the missing
 * permission, and {@link CatalogUnavailableException} when retries run out.
 */
public interface Catalog {

    /** Creates the database if it does not exist. */
    void ensureDatabase(String database);

    Optional<GlueTable> table(String database, String table);

    /** Every table of the database (GetTables, page by page): one request per 100 tables instead of one per table. */
    List<GlueTable> tables(String database);

    /** @return false if a table of that name already exists (created concurrently) */
    boolean createTable(String database, GlueTable table);

    void updateTable(String database, GlueTable table);

    /** Creates the partitions, at most 100 per request; returns the per-entry errors. */
    List<PartitionError> createPartitions(String database, String table, List<GluePartition> partitions);

    Optional<GluePartition> partition(String database, String table, String date);

    void updatePartition(String database, String table, GluePartition partition);
}
