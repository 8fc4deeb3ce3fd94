package io.snaplake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.snaplake.testkit.ChildProcess;
import io.snaplake.testkit.LocalInfra;
import io.snaplake.testkit.SimulatedLakeFormation;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.Column;
import software.amazon.awssdk.services.lakeformation.LakeFormationClient;
import software.amazon.awssdk.services.lakeformation.model.Permission;

/**
 * {@code snaplake share plan|apply|check} against moto's Glue and {@link SimulatedLakeFormation} (moto's Lake
 * Formation has no data cells filters).
 */
class ShareCommandTest {

    private static SimulatedLakeFormation lakeFormation;
    private static final String DATABASE = "cli_orders";

    @TempDir
    Path folder;

    @BeforeAll
    static void catalogue() {
        lakeFormation = SimulatedLakeFormation.start();
        try (GlueClient glue = GlueClient.builder().region(Region.US_EAST_1).endpointOverride(LocalInfra.moto().endpoint()).build()) {
            glue.createDatabase(create -> create.databaseInput(input -> input.name(DATABASE)));
            table(glue, "ordersdb_public_orders", "id", "total");
            table(glue, "ordersdb_public_customers", "id", "country", "email");
        }
    }

    @AfterAll
    static void stop() {
        lakeFormation.close();
    }

    @Test
    void plansAppliesAndChecks_andFailsTheCheck_whenASensitiveColumnIsReadable() throws IOException {
        Path policy = policy("""
                share: [public.orders]
                filtered:
                  public.customers: {include: [id, country]}
                """);

        Run plan = run("share", "plan", "--policy", policy.toString());
        Run apply = run("share", "apply", "--policy", policy.toString());
        Run again = run("share", "plan", "--policy", policy.toString());
        Run check = run("share", "check", "--account", "222222222222", "--policy", policy.toString());

        assertThat(plan.exit).isZero();
        assertThat(plan.out).contains(
                "  + LF-Tag confidential = [private, public, sensitive]",
                "  + tag database cli_orders confidential=private",
                "  + tag columns cli_orders.ordersdb_public_customers[email] confidential=sensitive",
                "  + tag table cli_orders.ordersdb_public_orders confidential=public",
                "  + data cells filter cli_orders.ordersdb_public_customers/snaplake_share include [id, country] all rows",
                "  + grant SELECT on data cells filter cli_orders.ordersdb_public_customers/snaplake_share to 222222222222",
                "  + grant DESCRIBE on tag expression {confidential=[public]} (tables) to 222222222222",
                "  cli_orders.ordersdb_public_orders: shared whole [id, total, date]",
                "Plan: 9 to add, 0 to change, 0 to destroy.");
        assertThat(apply.exit).isZero();
        assertThat(apply.out).endsWith("Applied 9 change(s).\n");
        assertThat(again.out).contains("No changes. Lake Formation matches the policy.");
        assertThat(check.exit).isZero();
        assertThat(check.out).isEqualTo("""
                Account 222222222222 can read:
                  cli_orders.ordersdb_public_customers [id, country]  via data cells filter cli_orders.ordersdb_public_customers/snaplake_share to 222222222222
                  cli_orders.ordersdb_public_orders [id, total, date]  via tag expression {confidential=[public]} (tables) to 222222222222
                No sensitive column is readable.
                """);

        // Someone grants the customers table by name, outside the policy.
        try (LakeFormationClient client = LakeFormationClient.builder().region(Region.US_EAST_1).endpointOverride(lakeFormation.endpoint()).build()) {
            client.grantPermissions(grant -> grant.principal(p -> p.dataLakePrincipalIdentifier("222222222222"))
                    .resource(r -> r.table(t -> t.databaseName(DATABASE).name("ordersdb_public_customers"))).permissions(Permission.SELECT));
        }
        Run exposed = run("share", "check", "--account", "222222222222", "--policy", policy.toString());

        assertThat(exposed.exit).isEqualTo(1);
        assertThat(exposed.out).contains("SENSITIVE COLUMNS READABLE:\n  cli_orders.ordersdb_public_customers.email (matches *email*) via "
                + "[table cli_orders.ordersdb_public_customers to 222222222222]");
        // apply revokes it: the policy names no such grant.
        assertThat(run("share", "apply", "--policy", policy.toString()).out)
                .contains("  - revoke SELECT on table cli_orders.ordersdb_public_customers to 222222222222");
        assertThat(run("share", "check", "--account", "222222222222", "--policy", policy.toString()).exit).isZero();
    }

    @Test
    void printsItsPlan_whenRunAsAProcess_asAnOperatorRunsIt() throws IOException {
        Path policy = policy("""
                share: [public.orders]
                """);
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Daws.accessKeyId=test", "-Daws.secretAccessKey=test", "-cp", System.getProperty("java.class.path"),
                SnaplakeCli.class.getName(), "share", "plan", "--policy", policy.toString(),
                "--endpoint", LocalInfra.moto().endpoint().toString(),
                "--lake-formation-endpoint", lakeFormation.endpoint().toString(), "--account-id", "123456789012");

        ChildProcess.Finished plan = ChildProcess.builder("snaplake share plan", command).run(Duration.ofMinutes(2));

        assertThat(plan.exitCode()).isZero();
        assertThat(plan.output()).contains("cli_orders.ordersdb_public_orders: shared whole", "\nPlan: ");
    }

    @Test
    void refusesToGuessTheAccount_whenNoneIsGiven() throws IOException {
        Path policy = policy("""
                share: [public.orders]
                """);

        Run plan = runAsGiven("share", "plan", "--policy", policy.toString());

        assertThat(plan.exit).isEqualTo(2);
        assertThat(plan.err).contains("No AWS account given: pass --account-id");
        assertThat(plan.out).isEmpty();
    }

    @Test
    void refusesAnInvalidPolicy_namingFileLineAndFix_andAppliesNothing() throws IOException {
        Path policy = policy("""
                filtered:
                  public.customers: {include: [id, email]}
                  public.missing: {include: [id]}
                """);
        int before = lakeFormation.requests().size();

        Run apply = run("share", "apply", "--policy", policy.toString());

        assertThat(apply.exit).isEqualTo(2);
        assertThat(apply.err).contains(policy + ":9: column 'email' of 'public.customers' in 'include' matches the sensitive pattern "
                + "'*email*' and is never shared (fix: remove it from the include list)");
        assertThat(lakeFormation.requests()).hasSize(before);

        Path unknown = policy("""
                filtered:
                  public.missing: {include: [id]}
                """);
        Run unknownTable = run("share", "apply", "--policy", unknown.toString());
        assertThat(unknownTable.exit).isEqualTo(2);
        assertThat(unknownTable.out).contains("! " + unknown + ":9: table 'public.missing' (Glue table ordersdb_public_missing) is not in "
                + "Glue database cli_orders");
        assertThat(lakeFormation.requests().subList(before, lakeFormation.requests().size()))
                .extracting(SimulatedLakeFormation.Request::operation)
                .allMatch(operation -> operation.startsWith("Get") || operation.startsWith("List"));
    }

    private Path policy(String tables) throws IOException {
        Path file = Files.createTempFile(folder, "policy", ".yaml");
        Files.writeString(file, """
                sensitive-columns: ["*email*"]
                clusters:
                  orders:
                    glue-database: %s
                    recipients: ["222222222222"]
                    databases:
                      ordersdb:
                %s""".formatted(DATABASE, tables.indent(8)));
        return file;
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        List<String> all = new java.util.ArrayList<>(Arrays.asList(args));
        all.addAll(List.of("--account-id", "123456789012"));
        return runAsGiven(all.toArray(String[]::new));
    }

    private static Run runAsGiven(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = new CommandLine(new SnaplakeCli()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        List<String> all = new java.util.ArrayList<>(Arrays.asList(args));
        all.addAll(List.of("--endpoint", LocalInfra.moto().endpoint().toString(), "--lake-formation-endpoint", lakeFormation.endpoint().toString()));
        int exit = command.execute(all.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    private static void table(GlueClient glue, String name, String... columns) {
        glue.createTable(create -> create.databaseName(DATABASE).tableInput(input -> input.name(name)
                .partitionKeys(Column.builder().name("date").type("string").build())
                .storageDescriptor(descriptor -> descriptor.location("s3://lake/orders/" + name + "/")
                        .columns(Arrays.stream(columns).map(column -> Column.builder().name(column).type("string").build()).toList()))));
    }
}
