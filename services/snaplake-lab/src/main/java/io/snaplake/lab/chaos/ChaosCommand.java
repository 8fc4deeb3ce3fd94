package io.snaplake.lab.chaos;

import io.snaplake.cli.ops.Flow;
import io.snaplake.lab.chaos.ChaosSnapshots.Export;
import io.snaplake.lab.chaos.ChaosSnapshots.Snapshot;
import io.snaplake.lab.chaos.TopicReader.Read;
import io.snaplake.lab.demo.ServiceOptions;
import io.snaplake.pipeline.Topic;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code snaplake chaos}: the whole pipeline on the local stack, several replicas of every stage, under
 * faults ({@link ChaosSchedule}, AWS throttling and 5xx, hostile inputs), then a check from moto and the
 * topics ({@link ChaosCheck}) that nothing was lost or doubled. docs/chaos.md says what it does and checks.
 */
@Command(name = "chaos", mixinStandardHelpOptions = true,
        description = "Run the pipeline under SIGKILLs, broker/registry restarts, AWS throttling/5xx and hostile inputs; check nothing is lost or doubled.")
public final class ChaosCommand implements Callable<Integer> {

    private static final String ANALYTICS_ACCOUNT = "222222222222";

    @Option(names = "--seed", defaultValue = "20261203", description = "Seed of every random choice: fault draws, kill times (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--snapshots", defaultValue = "30", description = "At least this many snapshots (clusters x days; default ${DEFAULT-VALUE}).")
    int minSnapshots;

    @Option(names = "--clusters", defaultValue = "10", description = "Aurora clusters (default ${DEFAULT-VALUE}).")
    int clusters;

    @Option(names = "--fault-rate", defaultValue = "0.3", description = "Share of AWS calls answered with throttling or 5xx (default ${DEFAULT-VALUE}).")
    double faultRate;

    @Option(names = "--replicas", defaultValue = "2", description = "Replicas of every service (default ${DEFAULT-VALUE}).")
    int replicasPerService;

    @Option(names = "--chaos-window", defaultValue = "PT3M", description = "Kills and restarts happen within this time after the first events (default ${DEFAULT-VALUE}).")
    Duration chaosWindow;

    @Option(names = "--timeout", defaultValue = "PT25M", description = "How long every snapshot may take to be shared (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Mixin
    ServiceOptions services = new ServiceOptions("target/chaos", 18180, Duration.ofMinutes(6));

    private final PrintStream out = System.out;
    private final Instant started = Instant.now();
    private final StartedResources resources = new StartedResources();

    @Override
    public Integer call() throws Exception {
        if (replicasPerService < 1 || clusters < 1 || minSnapshots < 1) {
            throw new IllegalArgumentException("--replicas, --clusters and --snapshots must be at least 1");
        }
        if (clusters > 98) {
            // chaos01..chaos98: chaos99 is the hostile cluster RDS must not know.
            throw new IllegalArgumentException("--clusters must be at most 98, was " + clusters);
        }
        int days = Math.max(2, (minSnapshots + clusters - 1) / clusters);
        Thread cleanup = new Thread(resources::closeAll, "snaplake-chaos-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            return run(days);
        } finally {
            resources.closeAll();
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
    }

    private Integer run(int days) throws Exception {
        out.printf("snaplake chaos: %d clusters x %d days, %d replicas per service, %.0f%% of AWS calls failing, seed %d%n",
                clusters, days, replicasPerService, faultRate * 100, seed);
        Path workDir = services.workDir();
        ChaosStack stack = ChaosStack.start(resources, workDir.resolve("registry"), faultRate, seed);
        out.println("  " + stack.describe());
        List<Snapshot> snapshots = ChaosSnapshots.create(stack.aws(), clusters, days);
        List<Export> exports = ChaosSnapshots.writeExports(stack.aws(), snapshots);
        out.printf("  %d snapshots of %d clusters (%s to %s), their export files written to s3://%s%n", snapshots.size(), clusters,
                snapshots.get(0).date(), snapshots.get(snapshots.size() - 1).date(), ChaosSnapshots.RESOURCES.exportBucket());
        Path policy = workDir.resolve("sharing-policy.yaml");
        Files.writeString(policy, ChaosSnapshots.sharingPolicy(snapshots.stream().map(Snapshot::cluster).distinct().toList(),
                ANALYTICS_ACCOUNT));

        ChaosFleet fleet = resources.add(new ChaosFleet(Path.of("").toAbsolutePath(), replicasPerService, services.firstPort(),
                stack.environment(policy), workDir));
        out.println("\nStarting " + fleet.replicas().size() + " service processes (the first replica of each, then the others):");
        fleet.startAll(services.startupTimeout(), workDir, out);

        Timeline timeline = new Timeline(out);
        HostileInputs hostile = new HostileInputs();
        out.println("\nTimeline (seconds since the first events):");
        new ChaosSchedule(stack, fleet, timeline, seed, chaosWindow).run(snapshots, hostile);
        timeline.note("chaos over; waiting for every snapshot to be shared (timeout " + timeout + ")");
        awaitShared(stack, fleet, snapshots, timeline);
        // Let stragglers (a redelivery after a kill, a dead letter in flight) land before counting.
        TimeUnit.SECONDS.sleep(10);
        stack.awsProxy().calm();
        List<Read> events;
        List<Read> deadLetters;
        try (TopicReader reader = stack.topicReader()) {
            events = reader.readAll(eventTopics());
            // Every consumer's dead-letter topic: hostile inputs must be there, and nothing else may be.
            deadLetters = reader.readAll(Flow.deadLetterTopics());
        }

        out.printf("%nAWS fault proxy: %d requests; answered before forwarding %s; %d took effect and were answered 500%n",
                stack.awsProxy().requests(), stack.awsProxy().faultsBeforeForwarding(), stack.awsProxy().faultsAfterForwarding());
        out.printf("Lake Formation fault proxy: %d requests; before forwarding %s; after %d%n", stack.lakeFormationProxy().requests(),
                stack.lakeFormationProxy().faultsBeforeForwarding(), stack.lakeFormationProxy().faultsAfterForwarding());
        out.println("\nCheck (from moto and the topics):");
        ChaosCheck.Result result = new ChaosCheck(stack, snapshots, exports, hostile, ANALYTICS_ACCOUNT).run(events, deadLetters, out);
        if (!result.problems().isEmpty()) {
            out.println("\nProblems:");
            result.problems().forEach(problem -> out.println("  - " + problem));
            out.println("Service logs: " + workDir);
        }
        out.printf("%nRun time %s.%n", Duration.between(started, Instant.now()).withNanos(0).toString().substring(2).toLowerCase());
        out.println(result.lastLine());
        return result.passed() ? 0 : 1;
    }

    /** Polls the topics until every snapshot is shared or the timeout passes; fails if a replica exited by itself. */
    private void awaitShared(ChaosStack stack, ChaosFleet fleet, List<Snapshot> snapshots, Timeline timeline) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        Set<String> arns = new LinkedHashSet<>();
        snapshots.forEach(s -> arns.add(s.arn()));
        try (TopicReader reader = stack.topicReader()) {
            while (true) {
                Set<String> done = JourneyEvents.sharedArns(reader.readAll(eventTopics()));
                long shared = arns.stream().filter(done::contains).count();
                if (shared == arns.size() || Instant.now().isAfter(deadline)) {
                    timeline.note(shared + " of " + arns.size() + " snapshots shared");
                    return;
                }
                fleet.checkAlive();
                TimeUnit.SECONDS.sleep(5); // polling the topics from outside: nothing to block on
            }
        }
    }

    /** The pipeline's event and failure topics. */
    private static List<String> eventTopics() {
        return Flow.journeyTopics().stream().map(Topic::topicName).toList();
    }
}
