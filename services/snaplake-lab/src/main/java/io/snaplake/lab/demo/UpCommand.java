package io.snaplake.lab.demo;

import io.snaplake.cli.ops.UpEnvFile;
import io.snaplake.pipeline.Stage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code snaplake up}: the local stack (Kafka, Apicurio Registry, moto with the demo's AWS resources and
 * clusters) and every stage whose jar is built, left running until Ctrl-C. The endpoints go to
 * {@value UpEnvFile#PATH}, where the operator commands find them.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Start the local stack and every built service, and keep them running until Ctrl-C.")
public final class UpCommand implements Callable<Integer> {

    /** The listener on its usual port, the other stages on the next ones. */
    @Mixin
    ServiceOptions services = new ServiceOptions("target/up", 8090, Duration.ofMinutes(5));

    private final PrintStream out = System.out;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean stopping;

    @Override
    public Integer call() throws Exception {
        Path repoRoot = Path.of("").toAbsolutePath();
        Path envFile = repoRoot.resolve(UpEnvFile.PATH);
        out.println("snaplake up: starting Kafka (KRaft), Apicurio Registry and moto...");
        List<ServiceProcess> started = Collections.synchronizedList(new ArrayList<>());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(started, envFile), "snaplake-up-shutdown"));
        DemoPipeline pipeline = DemoPipeline.start(services.workDir(), out);

        out.println("\nStarting every stage whose jar is built:");
        List<Stage> built = new ArrayList<>();
        for (Stage stage : Stage.values()) {
            if (ServiceProcess.jarExists(repoRoot, stage.serviceName())) {
                built.add(stage);
            } else {
                out.printf("  %-18s not built (no jar): skipped%n", stage.serviceName());
            }
        }
        // Up leaves the sweep at its usual pace: the day's snapshots arrive through it at start-up.
        services.start(repoRoot, built, pipeline.environment(), started, out);

        Map<String, String> endpoints = pipeline.environment().connections();
        if (built.contains(Stage.SNAPSHOT_LISTENER)) {
            endpoints.put("SNAPLAKE_LISTENER_URL", "http://127.0.0.1:" + (services.firstPort() + Stage.SNAPSHOT_LISTENER.ordinal()));
        }
        UpEnvFile.write(envFile, endpoints);
        out.println("\nEndpoints (also in " + UpEnvFile.PATH + "):");
        endpoints.forEach((name, value) -> out.printf("  %-24s %s%n", name, value));
        out.println("\nThe listener's sweep announces the automated snapshots of " + String.join(" and ", DemoPipeline.CHOSEN_CLUSTERS)
                + "; then try: ./snaplake history --date " + DemoPipeline.snapshotRef(pipeline.snapshots().get(0)).getSnapshotDate());
        out.println("\nsnaplake up: READY (" + started.size() + " services). Ctrl-C stops everything it started.");
        while (!stopped.await(2, TimeUnit.SECONDS)) {
            for (ServiceProcess service : List.copyOf(started)) {
                if (!service.isAlive() && !stopping) {
                    out.println("snaplake up: " + service.name() + " exited; its log: " + service.log() + "\n" + service.logTail());
                    return 1;
                }
            }
        }
        return 0;
    }

    /** Ctrl-C: the services stop, and the file no longer says where a stack is. */
    private void stop(List<ServiceProcess> started, Path envFile) {
        stopping = true;
        out.println("\nsnaplake up: stopping the services and the local stack...");
        for (ServiceProcess service : List.copyOf(started)) {
            try {
                service.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            Files.deleteIfExists(envFile);
        } catch (IOException ignored) {
            // the file only says where a stack that is gone was
        }
        stopped.countDown();
    }
}
