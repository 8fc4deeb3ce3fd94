package io.snaplake.crawlerrunner.aws;

import io.snaplake.crawlerrunner.domain.Catalog;
import io.snaplake.crawlerrunner.domain.Column;
import io.snaplake.crawlerrunner.domain.CrawledCatalog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.Table;
import software.amazon.awssdk.services.glue.model.TableVersion;

/** {@link CrawledCatalog} on Glue's API: GetTables (page by page), GetTableVersions, GetPartition. */
public final class GlueCrawledCatalog implements CrawledCatalog {

    private final GlueRequests requests;
    private final Catalog catalog;

    public GlueCrawledCatalog(GlueClient glue, AwsCalls calls, Catalog catalog) {
        this.requests = new GlueRequests(glue, calls);
        this.catalog = catalog;
    }

    @Override
    public void ensureDatabase(String database) {
        catalog.ensureDatabase(database);
    }

    @Override
    public List<CrawledTable> tables(String database) {
        return requests.tables(database).stream().map(table -> new CrawledTable(table.name(), GlueRequests.location(table.storageDescriptor()),
                GlueRequests.columns(table.storageDescriptor()), created(table), updated(table))).toList();
    }

    @Override
    public Optional<List<Column>> columnsBefore(String database, String table, Instant instant) {
        List<TableVersion> versions = new ArrayList<>(requests.tableVersions(database, table));
        if (versions.isEmpty()) {
            return Optional.empty();
        }
        versions.sort(Comparator.comparing((TableVersion version) -> Long.parseLong(version.versionId())));
        Optional<TableVersion> before = versions.stream().filter(version -> updated(version.table()).isBefore(instant))
                .reduce((older, newer) -> newer);
        if (before.isEmpty() && versions.size() > 1 && updated(versions.get(0).table()).equals(updated(versions.get(versions.size() - 1).table()))) {
            // Every version carries the same time (moto copies the table's latest UpdateTime into each): then the
            // version before the current one is the table as it was before the crawl updated it.
            before = Optional.of(versions.get(versions.size() - 2));
        }
        return before.map(version -> GlueRequests.columns(version.table().storageDescriptor()));
    }

    @Override
    public Optional<CrawledPartition> partition(String database, String table, String date) {
        return requests.partition(database, table, date).map(found -> new CrawledPartition(GlueRequests.location(found.storageDescriptor()),
                GlueRequests.columns(found.storageDescriptor()), found.creationTime()));
    }

    private static Instant created(Table table) {
        return table.createTime() != null ? table.createTime() : Instant.EPOCH;
    }

    private static Instant updated(Table table) {
        return table.updateTime() != null ? table.updateTime() : created(table);
    }
}
