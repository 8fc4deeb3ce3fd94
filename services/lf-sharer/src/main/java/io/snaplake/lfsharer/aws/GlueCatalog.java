package io.snaplake.lfsharer.aws;

import io.snaplake.lfsharer.lake.Catalog;
import io.snaplake.lfsharer.lake.CatalogTable;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.Column;
import software.amazon.awssdk.services.glue.model.Database;
import software.amazon.awssdk.services.glue.model.EntityNotFoundException;
import software.amazon.awssdk.services.glue.model.Table;

/** The catalogue, read from Glue. */
public final class GlueCatalog implements Catalog {

    private final GlueClient glue;
    private final AwsRetry retry;

    public GlueCatalog(GlueClient glue, AwsRetry retry) {
        this.glue = glue;
        this.retry = retry;
    }

    @Override
    public List<String> databases() {
        return retry.call("GetDatabases", () -> glue.getDatabasesPaginator(request -> { }).stream().flatMap(page -> page.databaseList().stream())
                .map(Database::name).toList());
    }

    @Override
    public List<CatalogTable> tables(String database) {
        try {
            return retry.call("GetTables " + database, () -> glue.getTablesPaginator(request -> request.databaseName(database))
                    .stream().flatMap(page -> page.tableList().stream()).map(table -> table(database, table)).toList());
        } catch (EntityNotFoundException e) {
            return List.of();
        }
    }

    private static CatalogTable table(String database, Table table) {
        List<String> columns = table.storageDescriptor() == null ? List.of()
                : table.storageDescriptor().columns().stream().map(Column::name).map(String::toLowerCase).toList();
        List<String> partitionKeys = table.partitionKeys().stream().map(Column::name).map(String::toLowerCase).toList();
        Optional<String> location = Optional.ofNullable(table.storageDescriptor()).map(descriptor -> descriptor.location());
        return new CatalogTable(database, table.name(), columns, partitionKeys, location);
    }
}
