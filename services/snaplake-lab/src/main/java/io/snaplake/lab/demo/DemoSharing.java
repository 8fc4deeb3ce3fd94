package io.snaplake.lab.demo;

import io.snaplake.cli.ShareCommand;
import io.snaplake.lab.demo.PipelineWatcher.Seen;
import io.snaplake.events.CrawlCompleted;
import io.snaplake.events.FilteredTable;
import io.snaplake.events.TablesShared;
import io.snaplake.sharing.aws.AwsRetry;
import io.snaplake.sharing.aws.GlueCatalog;
import io.snaplake.sharing.aws.LakeClients;
import io.snaplake.sharing.aws.SdkLakeFormation;
import io.snaplake.sharing.domain.PolicyLoader;
import io.snaplake.sharing.domain.SharingPolicy;
import io.snaplake.sharing.domain.AccessCheck;
import io.snaplake.sharing.domain.AccessReport;
import io.snaplake.sharing.domain.PlanPrinter;
import io.snaplake.testkit.SimulatedLakeFormation;
import io.snaplake.pipeline.AwsSettings;
import io.snaplake.pipeline.Topic;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.lakeformation.LakeFormationClient;
import software.amazon.awssdk.services.rds.model.DBClusterSnapshot;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The demo's sharing stage: a sharing policy with one table shared whole ({@code public.orders}), one
 * through a data cells filter that hides a sensitive column ({@code public.customers} without
 * {@code email}) and one left private ({@code public.order_lines}); {@code billing} is not named, so
 * all its tables stay private. Lake Formation is {@link SimulatedLakeFormation}, in the demo's JVM:
 * moto has no data cells filters (Glue stays moto).
 */
final class DemoSharing implements AutoCloseable {

    static final String ANALYTICS_ACCOUNT = "222222222222";

    static final String POLICY = """
            # The demo's sharing policy (README "Sharing policy").
            sensitive-columns: ["*email*", "*phone*", "password*", "*token*"]
            clusters:
              orders:
                glue-database: orders
                recipients: ["%s"]
                databases:
                  ordersdb:
                    share: [public.orders]
                    filtered:
                      public.customers: {include: [id, name, updated_at]}
            """.formatted(ANALYTICS_ACCOUNT);

    private final SimulatedLakeFormation lakeFormation;
    private final Path policy;

    private DemoSharing(SimulatedLakeFormation lakeFormation, Path policy) {
        this.lakeFormation = lakeFormation;
        this.policy = policy;
    }

    static DemoSharing start(Path workDir) {
        try {
            Files.createDirectories(workDir);
            Path policy = workDir.resolve("sharing-policy.yaml").toAbsolutePath();
            Files.writeString(policy, POLICY);
            return new DemoSharing(SimulatedLakeFormation.start(), policy);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the demo's sharing policy", e);
        }
    }

    /** Where lf-sharer finds Lake Formation (the double, in this JVM). */
    URI lakeFormationEndpoint() {
        return lakeFormation.endpoint();
    }

    /** What the policy asks of each snapshot's TablesShared; problems named, none when it holds. */
    static List<String> problems(List<DBClusterSnapshot> snapshots, List<Seen> seen) {
        Map<String, List<Seen>> shared = PipelineWatcher.bySnapshot(seen, Topic.TABLES_SHARED);
        List<String> problems = new ArrayList<>();
        for (DBClusterSnapshot snapshot : snapshots) {
            List<Seen> events = shared.getOrDefault(snapshot.dbClusterSnapshotArn(), List.of());
            if (events.isEmpty()) {
                problems.add(snapshot.dbClusterSnapshotIdentifier() + ": no TablesShared");
                continue;
            }
            TablesShared last = (TablesShared) events.get(events.size() - 1).event();
            boolean orders = snapshot.dbClusterIdentifier().equals("orders");
            List<String> expectedWhole = orders ? List.of("ordersdb_public_orders") : List.of();
            if (!last.getPublicTables().equals(expectedWhole)) {
                problems.add(snapshot.dbClusterSnapshotIdentifier() + ": shared whole " + last.getPublicTables()
                        + ", the policy says " + expectedWhole);
            }
            List<String> filtered = last.getFilteredTables().stream()
                    .map(table -> table.getTable() + " " + table.getIncludedColumns()).toList();
            List<String> expectedFiltered = orders ? List.of("ordersdb_public_customers [id, name, updated_at]") : List.of();
            if (!filtered.equals(expectedFiltered)) {
                problems.add(snapshot.dbClusterSnapshotIdentifier() + ": shared through filters " + filtered
                        + ", the policy says " + expectedFiltered);
            }
            last.getFilteredTables().stream().map(FilteredTable::getIncludedColumns).flatMap(List::stream)
                    .filter(column -> column.contains("email"))
                    .forEach(column -> problems.add("the sensitive column " + column + " was shared"));
        }
        return problems;
    }

    /**
     * Prints the plans lf-sharer applied, as {@code snaplake share plan} renders them, from the service's log
     * (it logs each plan it applies); false if the log holds none.
     */
    static boolean printAppliedPlans(Path sharerLog, PrintStream out) {
        List<String> lines;
        try {
            lines = Files.readAllLines(sharerLog);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read lf-sharer's log " + sharerLog, e);
        }
        out.println("\nThe plans lf-sharer applied (as ./snaplake share plan prints them; from its log " + sharerLog + "):");
        boolean found = false;
        for (int i = 0; i < lines.size(); i++) {
            int start = lines.get(i).indexOf(PlanPrinter.APPLIED_PLAN);
            if (start < 0) {
                continue;
            }
            found = true;
            out.println("  " + lines.get(i).substring(start));
            // The plan's lines follow the log entry's first line, up to its count ("Plan: n to add, ...").
            for (i++; i < lines.size(); i++) {
                out.println(lines.get(i).isEmpty() ? "" : "    " + lines.get(i));
                if (lines.get(i).startsWith("Plan: ")) {
                    break;
                }
            }
        }
        if (!found) {
            out.println("  (none in the log)");
        }
        return found;
    }

    /**
     * Prints what the analytics account can read, computed by {@code snaplake share check} from Lake
     * Formation's actual state; false if a sensitive column is readable.
     */
    boolean printCheck(URI awsEndpoint, PrintStream out) {
        out.println("\nWhat account " + ANALYTICS_ACCOUNT + " can read (./snaplake share check, from Lake Formation's state):");
        PrintWriter writer = new PrintWriter(out, true);
        int exit = new CommandLine(new ShareCommand()).setOut(writer).setErr(writer).execute("check", "--account", ANALYTICS_ACCOUNT,
                "--policy", policy.toString(), "--endpoint", awsEndpoint.toString(),
                "--lake-formation-endpoint", lakeFormation.endpoint().toString(), "--account-id", DemoAws.ACCOUNT_ID);
        writer.flush();
        return exit == 0;
    }

    /**
     * Prints the first rows of every table of the catalogued days as account {@link #ANALYTICS_ACCOUNT} would
     * see them in Athena (the columns and rows Lake Formation's actual state gives it, read from the lake), and
     * that the other tables are not readable; the problems met, none when it went through.
     */
    List<String> printAnalyticsView(URI awsEndpoint, S3Client s3, List<CrawlCompleted> crawls, PrintStream out) {
        AwsSettings settings = new AwsSettings(DemoAws.REGION, DemoAws.ACCOUNT_ID, awsEndpoint);
        AwsRetry retry = new AwsRetry(10, Duration.ofMillis(200), Duration.ofSeconds(30));
        Map<String, LocalDate> days = new TreeMap<>();
        crawls.forEach(crawl -> days.put(crawl.getGlueDatabase(), crawl.getSnapshot().getSnapshotDate()));
        try (GlueClient glue = LakeClients.glue(settings);
                LakeFormationClient client = LakeClients.lakeFormation(settings, lakeFormation.endpoint())) {
            SharingPolicy sharingPolicy = PolicyLoader.load(policy);
            AccessReport report = new AccessCheck(new GlueCatalog(glue, retry), new SdkLakeFormation(client, retry, DemoAws.ACCOUNT_ID),
                    sharingPolicy.sensitive()).check(ANALYTICS_ACCOUNT);
            new AnalyticsView(glue, s3).print(report, days, 5, out);
            return List.of();
        } catch (RuntimeException e) {
            out.println("  could not read the shared tables: " + e);
            return List.of("the analytics account's view of the shared tables could not be read: " + e.getMessage());
        }
    }

    Path policy() {
        return policy;
    }

    @Override
    public void close() {
        lakeFormation.close();
    }
}
