package io.snaplake.lab.chaos;

import io.snaplake.cli.TopicLayout;
import io.snaplake.lab.chaos.ChaosFleet.Replica;
import io.snaplake.lab.chaos.ChaosSnapshots.Export;
import io.snaplake.lab.chaos.ChaosSnapshots.Snapshot;
import io.snaplake.lab.demo.DemoAws;
import io.snaplake.testkit.ApicurioRegistry;
import io.snaplake.testkit.LocalInfra;
import io.snaplake.testkit.LocalKafka;
import io.snaplake.testkit.SimulatedLakeFormation;
import io.snaplake.testkit.proxy.FaultPlan;
import io.snaplake.testkit.proxy.FaultProxy;
import io.snaplake.pipeline.Topic;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * {@code snaplake chaos}: the whole pipeline on the local stack, two replicas of every stage, under faults:
 * each replica SIGKILLed at a random moment and started again, the broker and the registry restarted
 * once, a share of AWS calls answered with throttling or 5xx, hostile inputs on SQS and on every consumed
 * topic. Then a check from moto and the topics: every snapshot exported once, the lake holding exactly the
 * exports' files, each day catalogued and shared once, every hostile input dead-lettered with its reason.
 */
@Command(name = "chaos", mixinStandardHelpOptions = true,
        description = "Run the pipeline under SIGKILLs, broker/registry restarts, AWS throttling/5xx and hostile inputs; check nothing is lost or doubled.")
public final class ChaosCommand implements Callable<Integer> {

    private static final String[] SERVICES = {"snapshot-listener", "export-scheduler", "parquet-copier", "crawler-runner", "lf-sharer"};
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

    @Option(names = "--startup-timeout", defaultValue = "PT6M", description = "How long one service may take to become ready (default ${DEFAULT-VALUE}).")
    Duration startupTimeout;

    @Option(names = "--work-dir", defaultValue = "target/chaos", description = "Logs and the registry's data (default ${DEFAULT-VALUE}).")
    Path workDir;

    @Option(names = "--first-port", defaultValue = "18180", description = "HTTP port of the first replica; the others follow (default ${DEFAULT-VALUE}).")
    int firstPort;

    private final PrintStream out = System.out;
    private final Instant started = Instant.now();
    private final List<AutoCloseable> toClose = Collections.synchronizedList(new ArrayList<>());

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
        Path repoRoot = Path.of("").toAbsolutePath();
        workDir = workDir.toAbsolutePath();
        Files.createDirectories(workDir);
        Thread cleanup = new Thread(this::closeAll, "snaplake-chaos-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            return run(repoRoot, days);
        } finally {
            closeAll();
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
    }

    private Integer run(Path repoRoot, int days) throws Exception {
        out.printf("snaplake chaos: %d clusters x %d days, %d replicas per service, %.0f%% of AWS calls failing, seed %d%n",
                clusters, days, replicasPerService, faultRate * 100, seed);
        // A broker on a fixed port (restartable: clients keep their bootstrap servers) and a registry whose
        // schemas survive its restart (H2 file), as production's do.
        LocalKafka kafka = LocalKafka.startRestartable();
        toClose.add(kafka);
        Path registryData = workDir.resolve("registry");
        deleteRecursively(registryData);
        ApicurioRegistry registry = ApicurioRegistry.startPersistent(registryData);
        toClose.add(registry);
        URI moto = LocalInfra.moto().endpoint();
        FaultProxy awsProxy = FaultProxy.builder(moto).randomFaults(new FaultPlan(faultRate, seed, 0.2)).recordWire().start();
        toClose.add(awsProxy);
        SimulatedLakeFormation lakeFormation = SimulatedLakeFormation.start();
        toClose.add(lakeFormation);
        FaultProxy lfProxy = FaultProxy.builder(lakeFormation.endpoint()).randomFaults(new FaultPlan(faultRate, seed + 1, 0.2)).start();
        toClose.add(lfProxy);
        out.printf("  kafka %s, registry %s, moto %s (services use the fault proxy %s; Lake Formation double %s behind %s)%n",
                kafka.bootstrapServers(), registry.url(), moto, awsProxy.endpoint(), lakeFormation.endpoint(), lfProxy.endpoint());
        // The deployment's topics: event topics, every consumer's dead-letter topic, compacted state topics.
        TopicLayout.createMissing(kafka.admin(), LocalKafka.PARTITIONS);

        DemoAws aws = new DemoAws(moto);
        toClose.add(aws);
        aws.createBucket(ChaosSnapshots.EXPORT_BUCKET);
        aws.createBucket(ChaosSnapshots.LAKE_BUCKET);
        String queueUrl = aws.createEventQueue(ChaosSnapshots.QUEUE);
        String dlqUrl = aws.sqs.getQueueUrl(q -> q.queueName(ChaosSnapshots.QUEUE + "-dlq")).queueUrl();
        List<Snapshot> snapshots = ChaosSnapshots.create(aws, clusters, days);
        List<Export> exports = ChaosSnapshots.writeExports(aws, snapshots);
        out.printf("  %d snapshots of %d clusters (%s to %s), their export files written to s3://%s%n", snapshots.size(), clusters,
                snapshots.get(0).date(), snapshots.get(snapshots.size() - 1).date(), ChaosSnapshots.EXPORT_BUCKET);
        List<String> clusterNames = snapshots.stream().map(Snapshot::cluster).distinct().toList();
        Path policy = workDir.resolve("sharing-policy.yaml");
        Files.writeString(policy, ChaosSnapshots.sharingPolicy(clusterNames, ANALYTICS_ACCOUNT));

        ChaosFleet fleet = new ChaosFleet(repoRoot);
        toClose.add(fleet);
        Map<String, String> shared = new HashMap<>();
        shared.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        shared.put("SCHEMA_REGISTRY_URL", registry.url());
        shared.put("SNAPLAKE_AWS_ENDPOINT", awsProxy.endpoint().toString());
        shared.put("AWS_REGION", DemoAws.REGION);
        shared.put("SNAPLAKE_AWS_ACCOUNTID", DemoAws.ACCOUNT_ID);
        shared.put("AWS_ACCESS_KEY_ID", "chaos");
        shared.put("AWS_SECRET_ACCESS_KEY", "chaos");
        Map<String, Map<String, String>> own = new LinkedHashMap<>();
        own.put("snapshot-listener", Map.of(
                "SNAPLAKE_LISTENER_QUEUE_URL", queueUrl,
                // A pattern, as a deployment names its clusters: the hostile chaos99 is configured, unknown to RDS.
                "SNAPLAKE_LISTENER_CLUSTERS", "chaos*",
                "SNAPLAKE_LISTENER_QUEUE_WAIT_TIME", "1s",
                "SNAPLAKE_LISTENER_QUEUE_VISIBILITY_TIMEOUT", "20s",
                // The sweep finds the last day's automated snapshots too, while the chaos goes on.
                "SNAPLAKE_LISTENER_SWEEP_INITIAL_DELAY", "60s"));
        own.put("export-scheduler", Map.of(
                "SNAPLAKE_EXPORT_BUCKET", ChaosSnapshots.EXPORT_BUCKET,
                "SNAPLAKE_EXPORT_PREFIX", ChaosSnapshots.EXPORT_PREFIX,
                "SNAPLAKE_EXPORT_KMS_KEY_ID", "arn:aws:kms:us-east-1:123456789012:key/chaos",
                "SNAPLAKE_EXPORT_IAM_ROLE_ARN", "arn:aws:iam::123456789012:role/snaplake-export",
                "SNAPLAKE_EXPORT_POLL_INTERVAL", "1s",
                "SNAPLAKE_EXPORT_RETRY_MAX_BACKOFF", "20s",
                // The earlier days' snapshots are days old: a week's retention, as the clusters would keep them.
                "SNAPLAKE_SNAPSHOT_RETENTION", "7d"));
        own.put("parquet-copier", Map.of(
                "SNAPLAKE_COPIER_ALLOWED_EXPORT_BUCKETS", ChaosSnapshots.EXPORT_BUCKET,
                "SNAPLAKE_LAKE_BUCKET", ChaosSnapshots.LAKE_BUCKET,
                "SNAPLAKE_LAKE_PREFIX", ChaosSnapshots.LAKE_PREFIX,
                "SNAPLAKE_COPIER_CONCURRENCY", "16"));
        own.put("crawler-runner", Map.of());
        own.put("lf-sharer", Map.of(
                "SNAPLAKE_SHARING_POLICY", policy.toString(),
                "SNAPLAKE_LAKE_FORMATION_ENDPOINT", lfProxy.endpoint().toString()));
        int port = firstPort;
        for (int number = 1; number <= replicasPerService; number++) {
            for (String service : SERVICES) {
                Map<String, String> env = new HashMap<>(shared);
                env.putAll(own.get(service));
                fleet.add(service, number, port++, env, workDir);
            }
        }

        out.println("\nStarting " + fleet.replicas().size() + " service processes (the first replica of each, then the others):");
        for (int number = 1; number <= replicasPerService; number++) {
            // One replica of each service at a time: ten JVMs starting at once on a small machine take far longer.
            List<Replica> batch = new ArrayList<>();
            for (Replica replica : fleet.replicas()) {
                if (replica.number == number) {
                    fleet.start(replica);
                    batch.add(replica);
                }
            }
            for (Replica replica : batch) {
                fleet.awaitReady(replica, startupTimeout);
                out.printf("  %-20s ready on :%d (log %s)%n", replica.name(), replica.port, workDir.relativize(replica.log));
            }
        }

        Timeline timeline = new Timeline(out);
        Random random = new Random(seed);
        HostileInputs hostile = new HostileInputs();
        ExecutorService chaos = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "snaplake-chaos");
            thread.setDaemon(true);
            return thread;
        });
        List<Future<?>> actions = new ArrayList<>();
        out.println("\nTimeline (seconds since the first events):");
        timeline.start();

        // The days arrive in waves across the chaos window, so that work is in flight whenever something fails.
        Map<Integer, List<Snapshot>> byDay = new LinkedHashMap<>();
        List<java.time.LocalDate> dates = snapshots.stream().map(Snapshot::date).distinct().sorted().toList();
        snapshots.forEach(s -> byDay.computeIfAbsent(dates.indexOf(s.date()), d -> new ArrayList<>()).add(s));
        long waveGap = chaosWindow.toMillis() / (dates.size() + 1);
        for (Map.Entry<Integer, List<Snapshot>> wave : byDay.entrySet()) {
            long at = wave.getKey() * waveGap;
            actions.add(chaos.submit(() -> {
                timeline.sleepUntil(at);
                for (Snapshot snapshot : wave.getValue()) {
                    aws.sqs.sendMessage(m -> m.queueUrl(queueUrl).messageBody(ChaosSnapshots.snapshotCreatedEvent(snapshot)));
                }
                // EventBridge delivers at least once: a repeat of one event of the wave.
                aws.sqs.sendMessage(m -> m.queueUrl(queueUrl).messageBody(ChaosSnapshots.snapshotCreatedEvent(wave.getValue().get(0))));
                timeline.note("delivered " + wave.getValue().size() + " RDS-EVENT-0169 events (day " + dates.get(wave.getKey())
                        + ") and one repeat to SQS");
                return null;
            }));
        }
        long hostileAt = waveGap / 2;
        actions.add(chaos.submit(() -> {
            timeline.sleepUntil(hostileAt);
            hostile.injectIntoQueue(aws, queueUrl, snapshots.get(0));
            hostile.injectIntoTopics(aws, kafka.bootstrapServers(), registry.url(), snapshots.get(0));
            timeline.note("injected " + hostile.injected().size() + " hostile inputs (SQS and every consumed topic) and "
                    + hostile.ignoredByDesign().size() + " event of an unconfigured cluster");
            return null;
        }));

        // Each replica killed once at a random moment of the window, started again at once.
        for (Replica replica : fleet.replicas()) {
            long at = 5_000 + (long) (random.nextDouble() * (chaosWindow.toMillis() - 5_000));
            actions.add(chaos.submit(() -> {
                timeline.sleepUntil(at);
                long pid = fleet.killAndRestart(replica);
                timeline.note("SIGKILL " + replica.name() + " (pid " + pid + "), started again (pid " + replica.process.pid() + ")");
                return null;
            }));
        }
        long brokerAt = (long) (chaosWindow.toMillis() * (0.2 + 0.5 * random.nextDouble()));
        long registryAt = (long) (chaosWindow.toMillis() * (0.2 + 0.5 * random.nextDouble()));
        Duration down = Duration.ofSeconds(15);
        actions.add(chaos.submit(() -> {
            timeline.sleepUntil(brokerAt);
            timeline.note("Kafka broker stopped");
            kafka.stop();
            timeline.sleepUntil(brokerAt + down.toMillis());
            kafka.restart();
            timeline.note("Kafka broker started again (down " + down.toSeconds() + " s)");
            return null;
        }));
        actions.add(chaos.submit(() -> {
            timeline.sleepUntil(registryAt);
            registry.stop();
            timeline.note("schema registry stopped");
            timeline.sleepUntil(registryAt + down.toMillis());
            registry.restart();
            timeline.note("schema registry started again");
            return null;
        }));
        for (Future<?> action : actions) {
            action.get(chaosWindow.toMillis() + Duration.ofMinutes(5).toMillis(), TimeUnit.MILLISECONDS);
        }
        timeline.note("chaos over; waiting for every snapshot to be shared (timeout " + timeout + ")");

        List<TopicReader.Read> events;
        Instant deadline = Instant.now().plus(timeout);
        Set<String> arns = new java.util.HashSet<>();
        snapshots.forEach(s -> arns.add(s.arn()));
        try (TopicReader reader = new TopicReader(kafka.bootstrapServers(), registry.url())) {
            while (true) {
                events = reader.readAll(ChaosCheck.EVENT_TOPICS, ChaosCheck.readTimeout());
                Set<String> done = ChaosCheck.sharedArns(events);
                long sharedCount = arns.stream().filter(done::contains).count();
                if (sharedCount == arns.size() || Instant.now().isAfter(deadline)) {
                    timeline.note(sharedCount + " of " + arns.size() + " snapshots shared");
                    break;
                }
                checkAlive(fleet, timeline);
                TimeUnit.SECONDS.sleep(5); // polling the topics from outside: nothing to block on
            }
        }
        // Let stragglers (a redelivery after a kill, a dead letter in flight) land before counting.
        TimeUnit.SECONDS.sleep(10);
        awsProxy.calm();
        // Every consumer's dead-letter topic: hostile inputs must be there, and nothing else may be.
        List<String> deadLetterTopics = new ArrayList<>();
        for (Topic topic : Topic.values()) {
            if (!topic.isState()) {
                topic.consumers().forEach(consumer -> deadLetterTopics.add(topic.deadLetterTopic(consumer)));
            }
        }
        List<TopicReader.Read> deadLetters;
        try (TopicReader reader = new TopicReader(kafka.bootstrapServers(), registry.url())) {
            events = reader.readAll(ChaosCheck.EVENT_TOPICS, ChaosCheck.readTimeout());
            deadLetters = reader.readAll(deadLetterTopics, ChaosCheck.readTimeout());
        }

        out.printf("%nAWS fault proxy: %d requests; answered before forwarding %s; %d took effect and were answered 500%n",
                awsProxy.requests(), awsProxy.faultsBeforeForwarding(), awsProxy.faultsAfterForwarding());
        out.printf("Lake Formation fault proxy: %d requests; before forwarding %s; after %d%n",
                lfProxy.requests(), lfProxy.faultsBeforeForwarding(), lfProxy.faultsAfterForwarding());
        out.println("\nCheck (from moto and the topics):");
        ChaosCheck.Result result = new ChaosCheck(out, snapshots, exports, hostile, moto, awsProxy, dlqUrl,
                lakeFormation, ANALYTICS_ACCOUNT).run(aws, events, deadLetters);
        if (!result.problems().isEmpty()) {
            out.println("\nProblems:");
            result.problems().forEach(problem -> out.println("  - " + problem));
            out.println("Service logs: " + workDir);
        }
        out.printf("%nRun time %s.%n", Duration.between(started, Instant.now()).withNanos(0).toString().substring(2).toLowerCase());
        out.println(result.lastLine());
        return result.passed() ? 0 : 1;
    }

    private static void checkAlive(ChaosFleet fleet, Timeline timeline) {
        for (Replica replica : fleet.replicas()) {
            if (replica.process != null && !replica.process.isAlive()) {
                timeline.note(replica.name() + " exited by itself; its log: " + replica.log);
                throw new IllegalStateException(replica.name() + " exited:\n" + replica.process.logTail());
            }
        }
    }

    private void closeAll() {
        List<AutoCloseable> closing;
        synchronized (toClose) {
            closing = new ArrayList<>(toClose);
            toClose.clear();
        }
        // Last started first: the services, then the backends they use.
        Collections.reverse(closing);
        for (AutoCloseable closeable : closing) {
            try {
                closeable.close();
            } catch (Exception e) {
                System.err.println("snaplake chaos: could not stop " + closeable.getClass().getSimpleName() + ": " + e);
            }
        }
    }

    private static void deleteRecursively(Path path) throws java.io.IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (var walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** What was done when, printed as it happens. */
    static final class Timeline {
        private final PrintStream out;
        private volatile long start;

        Timeline(PrintStream out) {
            this.out = out;
        }

        void start() {
            start = System.currentTimeMillis();
        }

        /** Waits until {@code millis} after the start: the chaos plan's schedule, not a wait for a condition. */
        void sleepUntil(long millis) throws InterruptedException {
            long left = start + millis - System.currentTimeMillis();
            if (left > 0) {
                Thread.sleep(left);
            }
        }

        synchronized void note(String what) {
            out.printf("  [%6.1fs] %s%n", (System.currentTimeMillis() - start) / 1000.0, what);
        }
    }
}
