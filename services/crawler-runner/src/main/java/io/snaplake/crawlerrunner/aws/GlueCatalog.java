package io.snaplake.crawlerrunner.aws;

import io.snaplake.crawlerrunner.domain.Catalog;
import io.snaplake.crawlerrunner.domain.Column;
import io.snaplake.crawlerrunner.domain.GluePartition;
import io.snaplake.crawlerrunner.domain.GlueTable;
import io.snaplake.crawlerrunner.domain.PartitionError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.AlreadyExistsException;
import software.amazon.awssdk.services.glue.model.BatchCreatePartitionResponse;
import software.amazon.awssdk.services.glue.model.PartitionInput;
import software.amazon.awssdk.services.glue.model.SerDeInfo;
import software.amazon.awssdk.services.glue.model.StorageDescriptor;
import software.amazon.awssdk.services.glue.model.Table;
import software.amazon.awssdk.services.glue.model.TableInput;

/**
 * {@link Catalog} on Glue's API. Tables are external Parquet tables partitioned by {@code date} (string), with
 * the Parquet SerDe and input/output formats Athena and a Glue crawler use, {@code classification=parquet}.
 */
public final class GlueCatalog implements Catalog {

    /** AWS's limit of partitions per BatchCreatePartition request. */
    public static final int MAX_PARTITIONS_PER_REQUEST = 100;
    static final String INPUT_FORMAT = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat";
    static final String OUTPUT_FORMAT = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat";
    static final String SERDE = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe";
    static final String PARTITION_KEY = "date";

    private final GlueClient glue;
    private final GlueRequests requests;

    public GlueCatalog(GlueClient glue, AwsCalls calls) {
        this.glue = glue;
        this.requests = new GlueRequests(glue, calls);
    }

    @Override
    public void ensureDatabase(String database) {
        requests.ensure("glue:GetDatabase", () -> glue.getDatabase(get -> get.name(database)),
                "glue:CreateDatabase", () -> glue.createDatabase(create -> create.databaseInput(input -> input
                        .name(database).description("snaplake: one cluster's daily snapshots, catalogued by crawler-runner"))));
    }

    @Override
    public Optional<GlueTable> table(String database, String table) {
        return requests.find("glue:GetTable", () -> glue.getTable(get -> get.databaseName(database).name(table)).table())
                .map(GlueCatalog::glueTable);
    }

    @Override
    public List<GlueTable> tables(String database) {
        return requests.tables(database).stream().map(GlueCatalog::glueTable).toList();
    }

    @Override
    public boolean createTable(String database, GlueTable table) {
        return requests.unlessRefused(AlreadyExistsException.class, "glue:CreateTable",
                () -> glue.createTable(create -> create.databaseName(database).tableInput(tableInput(table))));
    }

    @Override
    public void updateTable(String database, GlueTable table) {
        requests.call("glue:UpdateTable", () -> glue.updateTable(update -> update.databaseName(database).tableInput(tableInput(table))));
    }

    @Override
    public List<PartitionError> createPartitions(String database, String table, List<GluePartition> partitions) {
        List<PartitionError> errors = new ArrayList<>();
        for (int from = 0; from < partitions.size(); from += MAX_PARTITIONS_PER_REQUEST) {
            List<PartitionInput> inputs = partitions.subList(from, Math.min(partitions.size(), from + MAX_PARTITIONS_PER_REQUEST))
                    .stream().map(GlueCatalog::partitionInput).toList();
            BatchCreatePartitionResponse response = requests.call("glue:BatchCreatePartition", () -> glue.batchCreatePartition(batch -> batch
                    .databaseName(database).tableName(table).partitionInputList(inputs)));
            // The request succeeds as a whole; each refused entry is reported inside the response.
            response.errors().forEach(error -> errors.add(new PartitionError(error.partitionValues().get(0),
                    error.errorDetail().errorCode(), error.errorDetail().errorMessage())));
        }
        return errors;
    }

    @Override
    public Optional<GluePartition> partition(String database, String table, String date) {
        return requests.partition(database, table, date).map(found -> new GluePartition(found.values().get(0),
                GlueRequests.location(found.storageDescriptor()), GlueRequests.columns(found.storageDescriptor()), found.parameters()));
    }

    @Override
    public void updatePartition(String database, String table, GluePartition partition) {
        requests.call("glue:UpdatePartition", () -> glue.updatePartition(update -> update.databaseName(database).tableName(table)
                .partitionValueList(partition.date()).partitionInput(partitionInput(partition))));
    }

    private static GlueTable glueTable(Table found) {
        return new GlueTable(found.name(), GlueRequests.location(found.storageDescriptor()), GlueRequests.columns(found.storageDescriptor()),
                found.parameters());
    }

    private static TableInput tableInput(GlueTable table) {
        return TableInput.builder()
                .name(table.name())
                .tableType("EXTERNAL_TABLE")
                .parameters(withExternal(table.parameters()))
                .partitionKeys(key -> key.name(PARTITION_KEY).type("string"))
                .storageDescriptor(storage(table.location(), table.columns()))
                .build();
    }

    private static Map<String, String> withExternal(Map<String, String> parameters) {
        Map<String, String> all = new LinkedHashMap<>(parameters);
        all.put("EXTERNAL", "TRUE");
        return all;
    }

    private static PartitionInput partitionInput(GluePartition partition) {
        return PartitionInput.builder()
                .values(partition.date())
                .parameters(partition.parameters())
                .storageDescriptor(storage(partition.location(), partition.columns()))
                .build();
    }

    private static StorageDescriptor storage(String location, List<Column> columns) {
        return StorageDescriptor.builder()
                .location(location)
                .columns(columns.stream().map(column -> software.amazon.awssdk.services.glue.model.Column.builder()
                        .name(column.name()).type(column.type()).build()).toList())
                .inputFormat(INPUT_FORMAT)
                .outputFormat(OUTPUT_FORMAT)
                .serdeInfo(SerDeInfo.builder().serializationLibrary(SERDE).parameters(Map.of("serialization.format", "1")).build())
                .compressed(false)
                .storedAsSubDirectories(false)
                .build();
    }

}
