package io.snaplake.crawlerrunner.aws;

import io.snaplake.crawlerrunner.domain.Column;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.AlreadyExistsException;
import software.amazon.awssdk.services.glue.model.EntityNotFoundException;
import software.amazon.awssdk.services.glue.model.GetTableVersionsResponse;
import software.amazon.awssdk.services.glue.model.GetTablesResponse;
import software.amazon.awssdk.services.glue.model.GlueException;
import software.amazon.awssdk.services.glue.model.Partition;
import software.amazon.awssdk.services.glue.model.StorageDescriptor;
import software.amazon.awssdk.services.glue.model.Table;
import software.amazon.awssdk.services.glue.model.TableVersion;

/**
 * The Glue request shapes the Glue adapters share, each run by {@link AwsCalls}: a missing entity as empty,
 * get-or-create, a refusal as false, listings page by page.
 */
final class GlueRequests {

    private final GlueClient glue;
    private final AwsCalls calls;

    GlueRequests(GlueClient glue, AwsCalls calls) {
        this.glue = glue;
        this.calls = calls;
    }

    <T> T call(String permission, Supplier<T> request) {
        return calls.call(permission, request);
    }

    /** The answer, or empty when Glue answers EntityNotFoundException. */
    <T> Optional<T> find(String permission, Supplier<T> request) {
        try {
            return Optional.of(calls.call(permission, request));
        } catch (EntityNotFoundException missing) {
            return Optional.empty();
        }
    }

    /** True when the request succeeded, false when Glue refused it with {@code refusal}. */
    boolean unlessRefused(Class<? extends GlueException> refusal, String permission, Supplier<?> request) {
        try {
            calls.call(permission, request);
            return true;
        } catch (GlueException e) {
            if (refusal.isInstance(e)) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Creates what {@code get} does not find. Another replica creating it between our get and create is as good:
     * it exists, which is all we need.
     */
    void ensure(String getPermission, Supplier<?> get, String createPermission, Supplier<?> create) {
        if (find(getPermission, get).isEmpty()) {
            unlessRefused(AlreadyExistsException.class, createPermission, create);
        }
    }

    List<Table> tables(String database) {
        return AwsCalls.allPages(token -> calls.call("glue:GetTables", () -> glue.getTables(get -> get.databaseName(database).nextToken(token))),
                GetTablesResponse::tableList, GetTablesResponse::nextToken);
    }

    List<TableVersion> tableVersions(String database, String table) {
        return AwsCalls.allPages(token -> calls.call("glue:GetTableVersions", () -> glue.getTableVersions(get -> get.databaseName(database)
                .tableName(table).nextToken(token))), GetTableVersionsResponse::tableVersions, GetTableVersionsResponse::nextToken);
    }

    Optional<Partition> partition(String database, String table, String date) {
        return find("glue:GetPartition", () -> glue.getPartition(get -> get.databaseName(database).tableName(table).partitionValues(date))
                .partition());
    }

    static String location(StorageDescriptor storage) {
        return storage == null ? null : storage.location();
    }

    static List<Column> columns(StorageDescriptor storage) {
        return storage == null ? List.of() : storage.columns().stream().map(column -> new Column(column.name(), column.type())).toList();
    }
}
