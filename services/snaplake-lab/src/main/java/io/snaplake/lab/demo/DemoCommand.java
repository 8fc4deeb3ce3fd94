package io.snaplake.lab.demo;

import io.snaplake.events.CrawlCompleted;
import io.snaplake.lab.demo.PipelineWatcher.Seen;
import io.snaplake.pipeline.Stage;
import io.snaplake.testkit.LocalInfra;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.rds.model.DBClusterSnapshot;

/**
 * The main job on the local stack: a real Kafka broker, Apicurio Registry and moto; sample Aurora
 * clusters with their automated snapshots; the EventBridge events delivered through SQS; the services
 * running as processes; and each snapshot followed through the pipeline's topics.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the pipeline on the local stack (Kafka, Apicurio Registry, moto) with sample snapshots.")
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--timeout", defaultValue = "PT4M", description = "How long to wait for the snapshots to travel (ISO-8601, default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Mixin
    ServiceOptions services = new ServiceOptions("target/demo", 18080, Duration.ofMinutes(5));

    private final PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        Path repoRoot = Path.of("").toAbsolutePath();
        out.println("snaplake demo: starting the local stack (Kafka KRaft broker, Apicurio Registry, moto)...");
        try (DemoPipeline pipeline = DemoPipeline.start(services.workDir(), out)) {
            out.printf("  kafka %s%n  schema registry %s%n  aws (moto) %s%n", LocalInfra.kafka().bootstrapServers(),
                    LocalInfra.registry().url(), pipeline.moto());
            // The events go first, so the demo shows the EventBridge path; the sweep then finds them known.
            pipeline.environment().set(Stage.SNAPSHOT_LISTENER, "SNAPLAKE_LISTENER_SWEEP_INITIALDELAY", "30s");
            List<ServiceProcess> started = new ArrayList<>();
            try (PipelineWatcher watcher = new PipelineWatcher(LocalInfra.kafka().bootstrapServers(), LocalInfra.registry().url(), out)) {
                out.println("\nStarting the services:");
                services.start(repoRoot, List.of(Stage.values()), pipeline.environment(), started, out);
                out.println("\nDelivering the EventBridge events (RDS-EVENT-0169) through SQS, and following the topics:");
                pipeline.deliverSnapshotEvents();
                List<DBClusterSnapshot> snapshots = pipeline.snapshots();
                boolean arrived = watcher.awaitUntil(seen -> DemoReport.isDone(snapshots, seen), timeout);
                out.println();
                DemoReport.print(pipeline.aws(), snapshots, watcher.seen(), out);
                if (!arrived) {
                    out.println("\nDEMO FAILED: not every snapshot reached the end of the pipeline within " + timeout
                            + ". Service logs: " + services.workDir());
                    for (ServiceProcess service : started) {
                        out.println("--- " + service.name() + " (last lines)\n" + service.logTail());
                    }
                    return 1;
                }
                List<String> problems = check(pipeline, started, watcher.seen());
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
                for (ServiceProcess service : started) {
                    service.close();
                }
            }
        }
    }

    /** Everything beyond arrival: the listener's two paths, the sharing, the operator commands; the problems met. */
    private List<String> check(DemoPipeline pipeline, List<ServiceProcess> started, List<Seen> seen) throws Exception {
        List<DBClusterSnapshot> snapshots = pipeline.snapshots();
        ServiceProcess listener = named(started, Stage.SNAPSHOT_LISTENER);
        boolean swept = reportListener(listener, snapshots.size() + 1);
        List<String> problems = new ArrayList<>(DemoReport.problems(snapshots, seen));
        ServiceProcess sharer = named(started, Stage.LF_SHARER);
        if (!DemoSharing.printAppliedPlans(sharer.log(), out)) {
            problems.add("lf-sharer logged no applied plan (log " + sharer.log() + ")");
        }
        DemoSharing sharing = pipeline.sharing();
        if (!sharing.printCheck(pipeline.moto(), out)) {
            problems.add("share check: a sensitive column is readable by account " + DemoSharing.ANALYTICS_ACCOUNT);
        }
        problems.addAll(sharing.printAnalyticsView(pipeline.moto(), pipeline.aws().s3, seen.stream().map(Seen::event)
                .filter(CrawlCompleted.class::isInstance).map(CrawlCompleted.class::cast).toList(), out));
        if (!swept) {
            problems.add("the listener's reconciliation sweep did not run within a minute (log " + listener.log() + ")");
        }
        problems.addAll(DemoOperations.historyAndReplay(LocalInfra.kafka().bootstrapServers(), LocalInfra.registry().url(),
                pipeline.aws(), DemoPipeline.snapshotRef(snapshots.get(0)).getSnapshotDate(), DemoPipeline.CHOSEN_CLUSTERS.get(0), out));
        return problems;
    }

    private static ServiceProcess named(List<ServiceProcess> services, Stage stage) {
        return services.stream().filter(service -> service.name().equals(stage.serviceName())).findFirst().orElseThrow();
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
}
