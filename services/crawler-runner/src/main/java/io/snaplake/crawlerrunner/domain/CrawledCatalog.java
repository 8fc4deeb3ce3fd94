package io.snaplake.crawlerrunner.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The Glue catalog as a crawl left it, read to report what the crawl changed. One Glue-backed implementation. */
public interface CrawledCatalog {

    void ensureDatabase(String database);

    List<CrawledTable> tables(String database);

    /** The table's columns as they were before {@code instant} (from Glue's table versions), empty if it did not exist then. */
    Optional<List<Column>> columnsBefore(String database, String table, Instant instant);

    Optional<CrawledPartition> partition(String database, String table, String date);

    record CrawledTable(String name, String location, List<Column> columns, Instant created, Instant updated) {
    }

    record CrawledPartition(String location, List<Column> columns, Instant created) {
    }
}
