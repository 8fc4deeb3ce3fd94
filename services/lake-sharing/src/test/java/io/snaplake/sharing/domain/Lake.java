package io.snaplake.sharing.domain;

import io.snaplake.sharing.aws.AwsRetry;
import io.snaplake.sharing.aws.GlueCatalog;
import io.snaplake.sharing.aws.SdkLakeFormation;
import io.snaplake.testkit.LocalInfra;
import io.snaplake.testkit.SimulatedLakeFormation;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.Column;
import software.amazon.awssdk.services.lakeformation.LakeFormationClient;

/**
 * The backends of the sharer's tests: moto's Glue (tables and columns, created by the tests the way the
 * crawler-runner would) and {@link SimulatedLakeFormation} for Lake Formation, both reached with the real SDK
 * clients. Lake Formation is a double because moto's lacks data cells filters and validates nothing (see the
 * double's documentation); everything else the sharer calls goes over the wire as in production.
 */
final class Lake {

    static final String ACCOUNT = "123456789012";
    static final String ANALYTICS = "222222222222";
    static final AwsRetry FAST_RETRY = new AwsRetry(5, Duration.ofMillis(1), Duration.ofMillis(5));

    private static SimulatedLakeFormation lakeFormationEndpoint;

    final GlueClient glue = GlueClient.builder().region(Region.US_EAST_1).endpointOverride(LocalInfra.moto().endpoint()).build();
    final LakeFormationClient lakeFormationClient = LakeFormationClient.builder().region(Region.US_EAST_1)
            .endpointOverride(endpoint().endpoint()).build();
    final SdkLakeFormation lakeFormation = new SdkLakeFormation(lakeFormationClient, FAST_RETRY, ACCOUNT);
    final GlueCatalog catalog = new GlueCatalog(glue, FAST_RETRY);

    static synchronized SimulatedLakeFormation endpoint() {
        if (lakeFormationEndpoint == null) {
            LocalInfra.moto();
            lakeFormationEndpoint = SimulatedLakeFormation.start();
        }
        return lakeFormationEndpoint;
    }

    /** A Glue database of its own for one test (moto and the double are shared by the test JVM). */
    String newDatabase() {
        String name = "lake_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        glue.createDatabase(create -> create.databaseInput(input -> input.name(name)));
        return name;
    }

    void createTable(String database, String table, String... columns) {
        glue.createTable(create -> create.databaseName(database).tableInput(input -> input.name(table)
                .partitionKeys(Column.builder().name("date").type("string").build())
                .storageDescriptor(descriptor -> descriptor.location("s3://lake/" + database + "/" + table + "/")
                        .columns(Arrays.stream(columns).map(column -> Column.builder().name(column).type("string").build()).toList()))));
    }

    void addColumns(String database, String table, String... columns) {
        var existing = glue.getTable(get -> get.databaseName(database).name(table)).table();
        List<Column> all = new java.util.ArrayList<>(existing.storageDescriptor().columns());
        Arrays.stream(columns).forEach(column -> all.add(Column.builder().name(column).type("string").build()));
        glue.updateTable(update -> update.databaseName(database).tableInput(input -> input.name(table)
                .partitionKeys(existing.partitionKeys())
                .storageDescriptor(descriptor -> descriptor.location(existing.storageDescriptor().location()).columns(all))));
    }

    Sharer sharer(SharingPolicy policy) {
        return new Sharer(policy, catalog, lakeFormation, ACCOUNT);
    }
}
