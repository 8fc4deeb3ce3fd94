package io.snaplake.lab.demo;

import io.snaplake.cli.TopicLayout;
import io.snaplake.lab.demo.PipelineWatcher.Seen;
import io.snaplake.events.CrawlCompleted;
import io.snaplake.testkit.LocalInfra;
import io.snaplake.testkit.LocalKafka;
import io.snaplake.pipeline.Topic;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.rds.model.DBClusterSnapshot;

/**
 * The main job on the local stack: a real Kafka broker, Apicurio Registry and moto; sample Aurora
 * clusters with their automated snapshots; the EventBridge events delivered through SQS; the services
 * built so far running as processes; and each snapshot followed through the pipeline's topics.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the pipeline on the local stack (Kafka, Apicurio Registry, moto) with sample snapshots.")
public final class DemoCommand implements Callable<Integer> {

    /** Clusters the listener is configured for, and one it must ignore. */
    static final List<String> CHOSEN_CLUSTERS = List.of("orders", "billing");
    static final String IGNORED_CLUSTER = "scratch";

    @Option(names = "--timeout", defaultValue = "PT4M", description = "How long to wait for the snapshots to travel (ISO-8601, default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--work-dir", defaultValue = "target/demo", description = "Where service logs go (default ${DEFAULT-VALUE}).")
    Path workDir;

    private final PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        Path repoRoot = Path.of("").toAbsolutePath();
        Files.createDirectories(workDir);
        out.println("snaplake demo: starting the local stack (Kafka KRaft broker, Apicurio Registry, moto)...");
        String kafka = LocalInfra.kafka().bootstrapServers();
        String registry = LocalInfra.registry().url();
        var moto = LocalInfra.moto().endpoint();
        out.printf("  kafka %s%n  schema registry %s%n  aws (moto) %s%n", kafka, registry, moto);
        // The deployment's topics: event topics, every consumer's dead-letter topic, compacted state topics.
        TopicLayout.createMissing(LocalInfra.kafka().admin(), LocalKafka.PARTITIONS);

        try (DemoAws aws = new DemoAws(moto)) {
            DemoPipeline pipeline = new DemoPipeline(aws, out);
            pipeline.prepareAws();
            DemoSharing sharing = pipeline.prepareSharing(workDir);
            out.println("\nCreating Aurora clusters; moto takes each one's automated snapshot:");
            List<DBClusterSnapshot> snapshots = new ArrayList<>();
            for (String cluster : CHOSEN_CLUSTERS) {
                snapshots.add(aws.createClusterWithAutomatedSnapshot(cluster));
            }
            DBClusterSnapshot ignored = aws.createClusterWithAutomatedSnapshot(IGNORED_CLUSTER);
            snapshots.forEach(s -> out.println("  " + s.dbClusterSnapshotArn()));
            out.println("  " + ignored.dbClusterSnapshotArn() + "  (not a chosen cluster: the listener ignores it)");

            pipeline.prepareExports(snapshots);

            Map<String, String> env = new HashMap<>();
            env.put("KAFKA_BOOTSTRAP_SERVERS", kafka);
            env.put("SCHEMA_REGISTRY_URL", registry);
            env.put("SNAPLAKE_AWS_ENDPOINT", moto.toString());
            env.put("AWS_REGION", DemoAws.REGION);
            env.put("SNAPLAKE_AWS_ACCOUNTID", DemoAws.ACCOUNT_ID);
            env.put("AWS_ACCESS_KEY_ID", "demo");
            env.put("AWS_SECRET_ACCESS_KEY", "demo");

            List<ServiceProcess> services = new ArrayList<>();
            try (PipelineWatcher watcher = new PipelineWatcher(kafka, registry, out)) {
                out.println("\nStarting the services:");
                int port = 18080;
                for (DemoPipeline.Service service : pipeline.services()) {
                    Map<String, String> serviceEnv = new HashMap<>(env);
                    serviceEnv.putAll(service.env());
                    services.add(ServiceProcess.start(repoRoot, service.name(), port++, serviceEnv, workDir));
                }
                for (ServiceProcess service : services) {
                    service.awaitReady(Duration.ofMinutes(5)); // five JVMs start at once on a small machine
                    out.printf("  %-18s ready on :%d (log %s)%n", service.name(), service.port(), service.log());
                }

                out.println("\nDelivering the EventBridge events (RDS-EVENT-0169) through SQS, and following the topics:");
                for (DBClusterSnapshot snapshot : snapshots) {
                    aws.deliverSnapshotCreatedEvent(pipeline.queueUrl(), snapshot);
                }
                aws.deliverSnapshotCreatedEvent(pipeline.queueUrl(), ignored);

                boolean arrived = watcher.awaitUntil(seen -> pipeline.isDone(snapshots, seen), timeout);
                out.println();
                pipeline.printResults(snapshots, watcher.seen());
                if (!arrived) {
                    out.println("\nDEMO FAILED: not every snapshot reached the end of the pipeline within " + timeout
                            + ". Service logs: " + workDir.toAbsolutePath());
                    for (ServiceProcess service : services) {
                        out.println("--- " + service.name() + " (last lines)\n" + service.logTail());
                    }
                    return 1;
                }
                boolean swept = reportListener(services.get(0), snapshots.size() + 1);
                List<String> problems = new ArrayList<>(pipeline.problems(snapshots, watcher.seen()));
                ServiceProcess sharer = services.stream().filter(service -> service.name().equals("lf-sharer")).findFirst().orElseThrow();
                if (!DemoSharing.printAppliedPlans(sharer.log(), out)) {
                    problems.add("lf-sharer logged no applied plan (log " + sharer.log() + ")");
                }
                if (!sharing.printCheck(moto, out)) {
                    problems.add("share check: a sensitive column is readable by account " + DemoSharing.ANALYTICS_ACCOUNT);
                }
                problems.addAll(sharing.printAnalyticsView(moto, aws.s3, watcher.seen().stream().map(Seen::event)
                        .filter(CrawlCompleted.class::isInstance).map(CrawlCompleted.class::cast).toList(), out));
                if (!swept) {
                    problems.add("the listener's reconciliation sweep did not run within a minute (log " + services.get(0).log() + ")");
                }
                problems.addAll(DemoOperations.historyAndReplay(kafka, registry, aws,
                        DemoPipeline.snapshotRef(snapshots.get(0)).getSnapshotDate(), CHOSEN_CLUSTERS.get(0), out));
                if (!problems.isEmpty()) {
                    out.println("\nDEMO FAILED:");
                    problems.forEach(problem -> out.println("  - " + problem));
                    return 1;
                }
                out.println("\nDEMO OK: " + snapshots.size() + " snapshots travelled the whole pipeline,"
                        + " one SnapshotCreated each, every copy complete, every copied table catalogued in Glue,"
                        + " shared as the policy says (no sensitive column readable), one TablesShared each.");
                return 0;
            } finally {
                for (ServiceProcess service : services) {
                    service.close();
                }
            }
        }
    }

    /**
     * The events announce the snapshots; the first reconciliation sweep (delayed in the demo) then finds
     * the same snapshots already announced. The listener's metrics show what each path did.
     */
    private boolean reportListener(ServiceProcess listener, int eventsSent) throws Exception {
        String received = "snaplake.listener.events.received";
        out.println("\nWaiting for the listener's first reconciliation sweep...");
        Instant deadline = Instant.now().plusSeconds(60);
        while ((listener.counter(received) < eventsSent || listener.counter("snaplake.listener.sweep.runs") < 1)
                && Instant.now().isBefore(deadline)) {
            TimeUnit.MILLISECONDS.sleep(200); // polling counters: nothing to block on across processes
        }
        out.printf("%nsnapshot-listener: %.0f EventBridge events read from SQS; snapshots announced: %.0f via events,"
                        + " %.0f via the sweep; %.0f repeats recognised;"
                        + " %.0f events ignored (not a chosen cluster)%n",
                listener.counter(received),
                listener.counter("snaplake.listener.snapshots.emitted", "discovered_by:event"),
                listener.counter("snaplake.listener.snapshots.emitted", "discovered_by:sweep"),
                listener.counter("snaplake.listener.snapshots.already_known"),
                listener.counter("snaplake.listener.events.ignored"));
        return listener.counter("snaplake.listener.sweep.runs") >= 1;
    }

    static List<Seen> eventsOf(List<Seen> seen, Topic topic) {
        return seen.stream().filter(s -> s.topic() == topic).toList();
    }
}
