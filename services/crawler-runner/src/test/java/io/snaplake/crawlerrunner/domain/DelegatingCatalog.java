package io.snaplake.crawlerrunner.domain;

import java.util.List;
import java.util.Optional;

/** A Catalog that forwards every call; tests override one call to make it fail. */
class DelegatingCatalog implements Catalog {

    private final Catalog delegate;

    DelegatingCatalog(Catalog delegate) {
        this.delegate = delegate;
    }

    @Override
    public void ensureDatabase(String database) {
        delegate.ensureDatabase(database);
    }

    @Override
    public Optional<GlueTable> table(String database, String table) {
        return delegate.table(database, table);
    }

    @Override
    public List<GlueTable> tables(String database) {
        return delegate.tables(database);
    }

    @Override
    public boolean createTable(String database, GlueTable table) {
        return delegate.createTable(database, table);
    }

    @Override
    public void updateTable(String database, GlueTable table) {
        delegate.updateTable(database, table);
    }

    @Override
    public List<PartitionError> createPartitions(String database, String table, List<GluePartition> partitions) {
        return delegate.createPartitions(database, table, partitions);
    }

    @Override
    public Optional<GluePartition> partition(String database, String table, String date) {
        return delegate.partition(database, table, date);
    }

    @Override
    public void updatePartition(String database, String table, GluePartition partition) {
        delegate.updatePartition(database, table, partition);
    }
}
