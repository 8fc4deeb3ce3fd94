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
import software.amazon.awssdk.services.glue.model.EntityNotFoundException;
import software.amazon.awssdk.services.glue.model.StorageDescriptor;
import software.amazon.awssdk.services.glue.model.Table;
import software.amazon.awssdk.services.glue.model.TableVersion;

/** {@link CrawledCatalog} on Glue's API: GetTables (page by page), GetTableVersions, GetPartition. */
public final class GlueCrawledCatalog implements CrawledCatalog {

    private final GlueClient glue;
    private final AwsCalls calls;
    private final Catalog catalog;

    public GlueCrawledCatalog(GlueClient glue, AwsCalls calls, Catalog catalog) {
        this.glue = glue;
        this.calls = calls;
        this.catalog = catalog;
    }

    @Override
    public void ensureDatabase(String database) {
        catalog.ensureDatabase(database);
    }

    @Override
    public List<CrawledTable> tables(String database) {
        List<CrawledTable> tables = new ArrayList<>();
        String token = null;
        do {
            String next = token;
            var page = calls.call("glue:GetTables", () -> glue.getTables(get -> get.databaseName(database).nextToken(next)));
            page.tableList().forEach(table -> tables.add(new CrawledTable(table.name(), table.storageDescriptor() == null ? null
                    : table.storageDescriptor().location(), columns(table.storageDescriptor()), created(table), updated(table))));
            token = page.nextToken();
        } while (token != null && !token.isEmpty());
        return tables;
    }

    @Override
    public Optional<List<Column>> columnsBefore(String database, String table, Instant instant) {
        List<TableVersion> versions = new ArrayList<>();
        String token = null;
        do {
            String next = token;
            var page = calls.call("glue:GetTableVersions", () -> glue.getTableVersions(get -> get.databaseName(database)
                    .tableName(table).nextToken(next)));
            versions.addAll(page.tableVersions());
            token = page.nextToken();
        } while (token != null && !token.isEmpty());
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
        return before.map(version -> columns(version.table().storageDescriptor()));
    }

    @Override
    public Optional<CrawledPartition> partition(String database, String table, String date) {
        try {
            var found = calls.call("glue:GetPartition", () -> glue.getPartition(get -> get.databaseName(database).tableName(table)
                    .partitionValues(date))).partition();
            return Optional.of(new CrawledPartition(found.storageDescriptor() == null ? null : found.storageDescriptor().location(),
                    columns(found.storageDescriptor()), found.creationTime()));
        } catch (EntityNotFoundException missing) {
            return Optional.empty();
        }
    }

    private static Instant created(Table table) {
        return table.createTime() != null ? table.createTime() : Instant.EPOCH;
    }

    private static Instant updated(Table table) {
        return table.updateTime() != null ? table.updateTime() : created(table);
    }

    private static List<Column> columns(StorageDescriptor storage) {
        return storage == null ? List.of() : storage.columns().stream().map(column -> new Column(column.name(), column.type())).toList();
    }
}
