package io.snaplake.lab.demo;

import io.snaplake.cli.TopicLayout;
import io.snaplake.cli.ops.KafkaEndpoints;
import io.snaplake.testkit.LocalInfra;
import io.snaplake.testkit.LocalKafka;
import io.snaplake.pipeline.Stage;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code snaplake up}: the local stack (Kafka, Apicurio Registry, moto with the demo's AWS resources and
 * clusters) and every stage whose jar is built, left running until Ctrl-C. The endpoints go to
 * {@value KafkaEndpoints#UP_ENV_FILE}, where the operator commands find them.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Start the local stack and every built service, and keep them running until Ctrl-C.")
public final class UpCommand implements Callable<Integer> {

    @Option(names = "--work-dir", defaultValue = "target/up", description = "Where service logs go (default ${DEFAULT-VALUE}).")
    Path workDir;

    @Option(names = "--first-port", defaultValue = "8090",
            description = "HTTP port of the first stage; the next ones follow (default ${DEFAULT-VALUE}, the listener's usual port).")
    int firstPort;

    @Option(names = "--startup-timeout", defaultValue = "PT5M",
            description = "How long each service may take to become ready; five JVMs starting at once on a small, busy machine are slow (default ${DEFAULT-VALUE}).")
    Duration startupTimeout;

    private final PrintStream out = System.out;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean stopping;

    @Override
    public Integer call() throws Exception {
        Path repoRoot = Path.of("").toAbsolutePath();
        Path envFile = repoRoot.resolve(KafkaEndpoints.UP_ENV_FILE);
        Files.createDirectories(workDir);
        out.println("snaplake up: starting Kafka (KRaft), Apicurio Registry and moto...");
        String kafka = LocalInfra.kafka().bootstrapServers();
        String registry = LocalInfra.registry().url();
        var moto = LocalInfra.moto().endpoint();
        // The deployment's topics: event topics, every consumer's dead-letter topic, compacted state topics.
        TopicLayout.createMissing(LocalInfra.kafka().admin(), LocalKafka.PARTITIONS);

        List<ServiceProcess> services = new ArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping = true;
            out.println("\nsnaplake up: stopping the services and the local stack...");
            for (ServiceProcess service : services) {
                try {
                    service.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            try {
                Files.deleteIfExists(envFile);
            } catch (java.io.IOException ignored) {
                // the file only says where a stack that is gone was
            }
            stopped.countDown();
        }, "snaplake-up-shutdown"));

        DemoAws aws = new DemoAws(moto);
        DemoPipeline pipeline = new DemoPipeline(aws, out);
        pipeline.prepareAws();
        pipeline.prepareSharing(workDir);
        var snapshots = new ArrayList<software.amazon.awssdk.services.rds.model.DBClusterSnapshot>();
        for (String cluster : DemoCommand.CHOSEN_CLUSTERS) {
            snapshots.add(aws.createClusterWithAutomatedSnapshot(cluster));
        }
        aws.createClusterWithAutomatedSnapshot(DemoCommand.IGNORED_CLUSTER);
        pipeline.prepareExports(snapshots);

        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka);
        env.put("SCHEMA_REGISTRY_URL", registry);
        env.put("SNAPLAKE_AWS_ENDPOINT", moto.toString());
        env.put("AWS_REGION", DemoAws.REGION);
        env.put("SNAPLAKE_AWS_ACCOUNTID", DemoAws.ACCOUNT_ID);
        env.put("AWS_ACCESS_KEY_ID", "demo");
        env.put("AWS_SECRET_ACCESS_KEY", "demo");
        Map<String, Map<String, String>> serviceEnv = new HashMap<>();
        pipeline.services().forEach(service -> serviceEnv.put(service.name(), service.env()));

        out.println("\nStarting every stage whose jar is built:");
        int port = firstPort;
        for (Stage stage : Stage.values()) {
            if (!ServiceProcess.jarExists(repoRoot, stage.serviceName())) {
                out.printf("  %-18s not built (no jar): skipped%n", stage.serviceName());
                port++;
                continue;
            }
            Map<String, String> own = new HashMap<>(env);
            own.putAll(serviceEnv.getOrDefault(stage.serviceName(), Map.of()));
            if (stage == Stage.SNAPSHOT_LISTENER) {
                // Up leaves the sweep at its usual pace: the day's snapshots arrive through it at start-up.
                own.remove("SNAPLAKE_LISTENER_SWEEP_INITIAL_DELAY");
            }
            services.add(ServiceProcess.start(repoRoot, stage.serviceName(), port++, own, workDir));
        }
        for (ServiceProcess service : services) {
            out.printf("  %-18s starting on :%d ...%n", service.name(), service.port());
            service.awaitReady(startupTimeout);
            out.printf("  %-18s ready on http://127.0.0.1:%d (log %s)%n", service.name(), service.port(), service.log());
        }

        Map<String, String> endpoints = new LinkedHashMap<>();
        endpoints.put("KAFKA_BOOTSTRAP_SERVERS", kafka);
        endpoints.put("SCHEMA_REGISTRY_URL", registry);
        endpoints.put("SNAPLAKE_AWS_ENDPOINT", moto.toString());
        endpoints.put("AWS_REGION", DemoAws.REGION);
        services.stream().filter(s -> s.name().equals(Stage.SNAPSHOT_LISTENER.serviceName())).findFirst()
                .ifPresent(listener -> endpoints.put("SNAPLAKE_LISTENER_URL", "http://127.0.0.1:" + listener.port()));
        StringBuilder file = new StringBuilder("# written by ./snaplake up while it runs; the operator commands read it\n");
        endpoints.forEach((name, value) -> file.append(name).append('=').append(value).append('\n'));
        Files.createDirectories(envFile.getParent());
        Files.writeString(envFile, file);

        out.println("\nEndpoints (also in " + KafkaEndpoints.UP_ENV_FILE + "):");
        endpoints.forEach((name, value) -> out.printf("  %-24s %s%n", name, value));
        out.println("\nThe listener's sweep announces the automated snapshots of " + String.join(" and ", DemoCommand.CHOSEN_CLUSTERS)
 + "; then try: ./snaplake history --date " + DemoPipeline.snapshotRef(snapshots.get(0)).getSnapshotDate());
        out.println("\nsnaplake up: READY (" + services.size() + " services). Ctrl-C stops everything it started.");
        while (!stopped.await(2, TimeUnit.SECONDS)) {
            for (ServiceProcess service : services) {
                if (!service.isAlive() && !stopping) {
                    out.println("snaplake up: " + service.name() + " exited; its log: " + service.log() + "\n" + service.logTail());
                    return 1;
                }
            }
        }
        return 0;
    }
}
