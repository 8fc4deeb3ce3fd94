package io.snaplake.sharing.aws;

import io.snaplake.sharing.domain.Catalog;
import io.snaplake.sharing.domain.CatalogTable;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.Column;
import software.amazon.awssdk.services.glue.model.Database;
import software.amazon.awssdk.services.glue.model.EntityNotFoundException;
import software.amazon.awssdk.services.glue.model.StorageDescriptor;
import software.amazon.awssdk.services.glue.model.Table;

/** The catalogue, read from Glue. */
public record GlueCatalog(GlueClient glue, AwsRetry retry) implements Catalog {

    @Override
    public List<String> databases() {
        return retry.call("GetDatabases", () -> glue.getDatabasesPaginator(request -> { }).stream().flatMap(page -> page.databaseList().stream())
                .map(Database::name).toList());
    }

    @Override
    public List<CatalogTable> tables(String database) {
        return retry.callIfFound("GetTables " + database, () -> glue.getTablesPaginator(request -> request.databaseName(database))
                .stream().flatMap(page -> page.tableList().stream()).map(table -> table(database, table)).toList(),
                EntityNotFoundException.class).orElse(List.of());
    }

    private static CatalogTable table(String database, Table table) {
        Optional<StorageDescriptor> descriptor = Optional.ofNullable(table.storageDescriptor());
        return new CatalogTable(database, table.name(), descriptor.map(StorageDescriptor::columns).map(GlueCatalog::names).orElse(List.of()),
                names(table.partitionKeys()), descriptor.map(StorageDescriptor::location));
    }

    /** Lower case, as Glue stores them. */
    private static List<String> names(List<Column> columns) {
        return columns.stream().map(Column::name).map(String::toLowerCase).toList();
    }
}
