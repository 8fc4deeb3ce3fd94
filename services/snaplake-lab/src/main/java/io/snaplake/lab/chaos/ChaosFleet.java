package io.snaplake.lab.chaos;

import io.snaplake.lab.demo.ServiceProcess;
import io.snaplake.lab.demo.StageEnvironment;
import io.snaplake.pipeline.Stage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every service as several replicas in one consumer group (the listener: pollers of one queue), each its
 * own process on its own port, as Kubernetes scales them; a replica can be killed with SIGKILL and started
 * again with the same settings. Closing stops every process it started.
 */
final class ChaosFleet implements AutoCloseable {

    /** One replica: a service, its number, port and settings, and where its output goes. */
    record Replica(Stage stage, int number, int port, Map<String, String> env, Path log) {

        String name() {
            return stage.serviceName() + "#" + number;
        }
    }

    private final Path repoRoot;
    private final List<Replica> replicas = new ArrayList<>();
    private final Map<Replica, ServiceProcess> processes = new ConcurrentHashMap<>();

    /** {@code replicasPerService} of every stage, numbered from 1, on ports from {@code firstPort}. */
    ChaosFleet(Path repoRoot, int replicasPerService, int firstPort, StageEnvironment environment, Path logDir) {
        this.repoRoot = repoRoot;
        int port = firstPort;
        for (int number = 1; number <= replicasPerService; number++) {
            for (Stage stage : Stage.values()) {
                replicas.add(new Replica(stage, number, port++, environment.of(stage),
                        logDir.resolve(stage.serviceName() + "-" + number + ".log")));
            }
        }
    }

    List<Replica> replicas() {
        return List.copyOf(replicas);
    }

    /** Starts the first replica of each service, waits until they are ready, then the second ones, and so on. */
    void startAll(Duration startupTimeout, Path workDir, PrintStream out) throws IOException, InterruptedException {
        int numbers = replicas.stream().mapToInt(Replica::number).max().orElse(0);
        for (int number = 1; number <= numbers; number++) {
            // One replica of each service at a time: ten JVMs starting at once on a small machine take far longer.
            List<Replica> batch = new ArrayList<>();
            for (Replica replica : replicas) {
                if (replica.number() == number) {
                    start(replica);
                    batch.add(replica);
                }
            }
            for (Replica replica : batch) {
                processes.get(replica).awaitReady(startupTimeout);
                out.printf("  %-20s ready on :%d (log %s)%n", replica.name(), replica.port(), workDir.relativize(replica.log()));
            }
        }
    }

    /** SIGKILL, then the same replica started again at once (a pod restarted by its ReplicaSet); the pids killed and started. */
    synchronized long[] killAndRestart(Replica replica) throws IOException, InterruptedException {
        ServiceProcess killed = processes.get(replica);
        killed.kill();
        start(replica);
        return new long[] {killed.pid(), processes.get(replica).pid()};
    }

    /** Fails with the replica's log when one exited by itself (a kill is followed by a start at once). */
    synchronized void checkAlive() {
        processes.forEach((replica, process) -> {
            if (!process.isAlive()) {
                throw new IllegalStateException(replica.name() + " exited by itself; its log " + replica.log() + ":\n"
                        + process.logTail());
            }
        });
    }

    private synchronized void start(Replica replica) throws IOException {
        processes.put(replica, ServiceProcess.startReplica(repoRoot, replica.stage().serviceName(), replica.port(), replica.env(),
                replica.log()));
    }

    @Override
    public synchronized void close() {
        for (ServiceProcess process : processes.values()) {
            if (process.isAlive()) {
                try {
                    process.kill();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
