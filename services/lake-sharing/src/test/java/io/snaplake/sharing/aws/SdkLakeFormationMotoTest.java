package io.snaplake.sharing.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.snaplake.sharing.domain.Grant;
import io.snaplake.sharing.domain.LfResource;
import io.snaplake.sharing.domain.Permission;
import io.snaplake.sharing.domain.TableTags;
import io.snaplake.sharing.domain.TagTarget;
import io.snaplake.testkit.LocalInfra;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.Column;
import software.amazon.awssdk.services.lakeformation.LakeFormationClient;

/**
 * {@link SdkLakeFormation} against moto's Lake Formation, for the calls moto answers: LF-Tags, tags on a
 * database and a table, tag-based and database grants, the unfiltered ListPermissions. (Data cells
 * filters, column tags read back through a Table resource, and per-entry refusals need SimulatedLakeFormation:
 * moto lacks them.) The same calls served by the double in the other tests are so checked against a second
 * implementation of the wire format.
 */
class SdkLakeFormationMotoTest {

    private final LakeFormationClient client = LakeFormationClient.builder().region(Region.US_EAST_1)
            .endpointOverride(LocalInfra.moto().endpoint()).build();
    private final SdkLakeFormation lakeFormation = new SdkLakeFormation(client,
            new AwsRetry(3, Duration.ofMillis(1), Duration.ofMillis(5)), "123456789012");

    @Test
    void tagsAndGrants_roundTripThroughMoto() {
        String key = "confidential_" + UUID.randomUUID().toString().substring(0, 8);
        String database = "moto_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        try (GlueClient glue = GlueClient.builder().region(Region.US_EAST_1).endpointOverride(LocalInfra.moto().endpoint()).build()) {
            glue.createDatabase(create -> create.databaseInput(input -> input.name(database)));
            glue.createTable(create -> create.databaseName(database).tableInput(input -> input.name("orders")
                    .storageDescriptor(descriptor -> descriptor.columns(Column.builder().name("id").type("bigint").build()))));
        }

        assertThat(lakeFormation.tagValues(key)).isEmpty();
        lakeFormation.createTag(key, List.of("private", "public"));
        lakeFormation.addTagValues(key, List.of("sensitive"));
        assertThat(lakeFormation.tagValues(key)).contains(List.of("private", "public", "sensitive"));

        assertThat(lakeFormation.addTag(TagTarget.database(database), key, "private")).isEmpty();
        assertThat(lakeFormation.addTag(TagTarget.table(database, "orders"), key, "public")).isEmpty();
        assertThat(lakeFormation.databaseTag(database, key)).contains("private");
        assertThat(lakeFormation.tableTags(database, "orders", key)).isEqualTo(new TableTags(Optional.of("public"), Map.of()));

        LfResource.TagPolicy publicTables = new LfResource.TagPolicy(LfResource.ResourceType.TABLE, Map.of(key, List.of("public")));
        // Without grant option: moto merges two entries for one principal and resource and keeps the first's
        // (empty) PermissionsWithGrantOption, so grant option is proven against SimulatedLakeFormation only.
        List<Grant> grants = List.of(
                new Grant("444444444444", publicTables, Permission.DESCRIBE, false),
                new Grant("444444444444", publicTables, Permission.SELECT, false),
                new Grant("444444444444", new LfResource.Database(database), Permission.DESCRIBE, false));
        assertThat(lakeFormation.batchGrant(grants)).isEmpty();
        assertThat(lakeFormation.grants()).filteredOn(grant -> grant.principal().equals("444444444444")
                && (grant.resource().equals(publicTables) || database.equals(grant.resource().database())))
                .containsExactlyInAnyOrderElementsOf(grants);

        // Revokes are proven against SimulatedLakeFormation only: moto merges a principal's permissions on one
        // resource and answers HTTP 500 (a KeyError) when a revoke names part of them.
        assertThat(lakeFormation.removeTag(TagTarget.table(database, "orders"), key, "public")).isEmpty();
        assertThat(lakeFormation.tableTags(database, "orders", key).table()).isEmpty();
    }
}
