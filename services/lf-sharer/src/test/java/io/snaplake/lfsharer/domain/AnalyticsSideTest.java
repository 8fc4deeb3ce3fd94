package io.snaplake.lfsharer.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snaplake.sharing.aws.AwsRetry;
import io.snaplake.lfsharer.aws.RecipientClients;
import io.snaplake.lfsharer.aws.SdkRecipientCatalog;
import io.snaplake.sharing.domain.TableOutcome;
import io.snaplake.sharing.domain.TableOutcome.Sharing;
import io.snaplake.testkit.LocalInfra;
import io.snaplake.pipeline.AwsSettings;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.EntityNotFoundException;
import software.amazon.awssdk.services.glue.model.Table;
import software.amazon.awssdk.services.glue.model.TableIdentifier;

/**
 * The analytics side, done as a role in the recipient account: RAM through {@link SimulatedRam} (moto's RAM
 * has no invitations), Glue in moto, in the recipient's own account (moto maps the credentials STS gives
 * for a role of account 222222222222 to that account's catalogue).
 */
class AnalyticsSideTest {

    private static final String CATALOG_ACCOUNT = "123456789012";
    private static final String RECIPIENT = "222222222222";
    private static final AwsRetry RETRY = new AwsRetry(3, Duration.ofMillis(10), Duration.ofMillis(50));

    private final AwsSettings aws = new AwsSettings("us-east-1", CATALOG_ACCOUNT, LocalInfra.moto().endpoint());
    private SimulatedRam ram;
    private RecipientClients recipient;
    private AnalyticsSide side;

    @BeforeEach
    void start() throws IOException {
        ram = new SimulatedRam();
        recipient = new RecipientClients(aws, "arn:aws:iam::" + RECIPIENT + ":role/snaplake-recipient", ram.endpoint());
        side = new AnalyticsSide(CATALOG_ACCOUNT, recipient.invitations(RETRY), new SdkRecipientCatalog(recipient.glue(), RETRY));
    }

    @AfterEach
    void stop() {
        recipient.close();
        ram.close();
    }

    @Test
    void acceptsTheCatalogAccountsInvitation_andLinksEachSharedTable_inTheRecipientsCatalogue_once() {
        String database = "recipient_orders_a";
        ram.invite("arn:aws:ram:us-east-1:" + CATALOG_ACCOUNT + ":resource-share-invitation/lf", CATALOG_ACCOUNT, RECIPIENT);
        ram.invite("arn:aws:ram:us-east-1:999999999999:resource-share-invitation/other", "999999999999", RECIPIENT);
        List<TableOutcome> outcomes = List.of(
                outcome(database, "ordersdb_public_orders", Sharing.WHOLE),
                outcome(database, "ordersdb_public_customers", Sharing.FILTERED),
                outcome(database, "ordersdb_public_order_lines", Sharing.PRIVATE));

        AnalyticsSide.Result first = side.connect(database, outcomes);
        AnalyticsSide.Result second = side.connect(database, outcomes);

        assertThat(first).isEqualTo(new AnalyticsSide.Result(
                List.of("arn:aws:ram:us-east-1:" + CATALOG_ACCOUNT + ":resource-share-invitation/lf"),
                List.of(database + ".ordersdb_public_customers", database + ".ordersdb_public_orders"), List.of()));
        assertThat(ram.status("arn:aws:ram:us-east-1:" + CATALOG_ACCOUNT + ":resource-share-invitation/lf")).isEqualTo("ACCEPTED");
        assertThat(ram.status("arn:aws:ram:us-east-1:999999999999:resource-share-invitation/other")).isEqualTo("PENDING");
        Table link = recipient.glue().getTable(get -> get.databaseName(database).name("ordersdb_public_orders")).table();
        assertThat(link.targetTable()).isEqualTo(TableIdentifier.builder().catalogId(CATALOG_ACCOUNT).databaseName(database)
                .name("ordersdb_public_orders").build());
        assertThat(recipient.glue().getTables(get -> get.databaseName(database)).tableList()).extracting(Table::name)
                .containsExactlyInAnyOrder("ordersdb_public_orders", "ordersdb_public_customers");
        // In the recipient's catalogue, not in the sharer's own.
        try (GlueClient own = aws.configure(GlueClient.builder()).build()) {
            assertThatThrownBy(() -> own.getDatabase(get -> get.name(database))).isInstanceOf(EntityNotFoundException.class);
        }
        assertThat(second).isEqualTo(new AnalyticsSide.Result(List.of(), List.of(),
                List.of(database + ".ordersdb_public_customers", database + ".ordersdb_public_orders")));
        // Signed with the assumed role's session (moto's STS issues ASIA... keys), not the sharer's own key.
        assertThat(ram.accessKeys()).isNotEmpty().allMatch(key -> key.startsWith("ASIA"));
    }

    @Test
    void retriesAThrottledRamCall_andReportsAnInvitationRamDoesNotKnow_byItsErrorCode() {
        ram.invite("arn:aws:ram:us-east-1:" + CATALOG_ACCOUNT + ":resource-share-invitation/throttled", CATALOG_ACCOUNT, RECIPIENT);
        ram.throttleNext(2);

        AnalyticsSide.Result result = side.connect("recipient_orders_c", List.of());

        assertThat(result.invitationsAccepted()).containsExactly("arn:aws:ram:us-east-1:" + CATALOG_ACCOUNT + ":resource-share-invitation/throttled");
        assertThat(ram.calls()).containsExactly("/getresourceshareinvitations", "/getresourceshareinvitations",
                "/getresourceshareinvitations", "/acceptresourceshareinvitation");
        assertThatThrownBy(() -> recipient.invitations(RETRY).accept("arn:aws:ram:us-east-1:" + CATALOG_ACCOUNT + ":resource-share-invitation/none"))
                .isInstanceOfSatisfying(AwsServiceException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ResourceShareInvitationArnNotFoundException");
                    assertThat(e.statusCode()).isEqualTo(400);
                });
        assertThat(ram.calls()).hasSize(5); // not retried: it will never succeed
    }

    @Test
    void linksATableSharedLater_andLeavesTheRecipientsCatalogueAlone_whileNothingIsShared() {
        String database = "recipient_orders_b";

        AnalyticsSide.Result nothing = side.connect(database, List.of(outcome(database, "ordersdb_public_orders", Sharing.PRIVATE)));

        assertThat(nothing).isEqualTo(new AnalyticsSide.Result(List.of(), List.of(), List.of()));
        assertThatThrownBy(() -> recipient.glue().getDatabase(get -> get.name(database))).isInstanceOf(EntityNotFoundException.class);

        AnalyticsSide.Result later = side.connect(database, List.of(outcome(database, "ordersdb_public_orders", Sharing.WHOLE)));

        assertThat(later.linksCreated()).containsExactly(database + ".ordersdb_public_orders");
        assertThat(ram.calls()).containsExactly("/getresourceshareinvitations", "/getresourceshareinvitations");
    }

    private static TableOutcome outcome(String database, String table, Sharing sharing) {
        return new TableOutcome(database, table, sharing, sharing == Sharing.PRIVATE ? List.of() : List.of("id"),
                sharing == Sharing.FILTERED ? Optional.of("snaplake_share") : Optional.empty(), List.of());
    }
}
