package io.snaplake.lab.demo;

import io.snaplake.pipeline.Stage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Where a lab command runs the services (a picocli mixin, each command with its own defaults): their logs,
 * their HTTP ports, and how long one may take to become ready.
 */
public final class ServiceOptions {

    @Option(names = "--work-dir", description = "Service logs and the run's data (default ${DEFAULT-VALUE}).")
    Path workDir;

    @Option(names = "--first-port", description = "HTTP port of the first service; the next ones follow (default ${DEFAULT-VALUE}).")
    int firstPort;

    @Option(names = "--startup-timeout", description = "How long one service may take to become ready; "
            + "JVMs starting at once on a small, busy machine are slow (default ${DEFAULT-VALUE}).")
    Duration startupTimeout;

    public ServiceOptions(String workDir, int firstPort, Duration startupTimeout) {
        this.workDir = Path.of(workDir);
        this.firstPort = firstPort;
        this.startupTimeout = startupTimeout;
    }

    /** The work directory, absolute, created if need be. */
    public Path workDir() throws IOException {
        return Files.createDirectories(workDir.toAbsolutePath());
    }

    public int firstPort() {
        return firstPort;
    }

    public Duration startupTimeout() {
        return startupTimeout;
    }

    /**
     * Starts {@code stages} from their jars, each on the first port plus its place in the pipeline, and waits
     * until each is ready. Each process is added to {@code started} as it starts, for the caller to stop
     * whatever happens.
     */
    void start(Path repoRoot, List<Stage> stages, StageEnvironment environment, List<ServiceProcess> started, PrintStream out)
            throws IOException, InterruptedException {
        List<ServiceProcess> starting = new ArrayList<>();
        for (Stage stage : stages) {
            ServiceProcess service = ServiceProcess.start(repoRoot, stage.serviceName(), firstPort + stage.ordinal(),
                    environment.of(stage), workDir());
            started.add(service);
            starting.add(service);
        }
        for (ServiceProcess service : starting) {
            out.printf("  %-18s starting on :%d ...%n", service.name(), service.port());
            service.awaitReady(startupTimeout);
            out.printf("  %-18s ready on http://127.0.0.1:%d (log %s)%n", service.name(), service.port(), service.log());
        }
    }
}
