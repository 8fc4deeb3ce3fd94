package io.snaplake.lab.chaos;

import io.snaplake.lab.demo.ServiceProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every service as two replicas in one consumer group (the listener: two pollers of one queue), each its own
 * process on its own port, as Kubernetes scales them; a replica can be killed with SIGKILL and started
 * again with the same settings. Closing stops every process it started.
 */
final class ChaosFleet implements AutoCloseable {

    /** One replica: a service, its number, port and settings; its current process. */
    static final class Replica {
        final String service;
        final int number;
        final int port;
        final Map<String, String> env;
        final Path log;
        volatile ServiceProcess process;

        Replica(String service, int number, int port, Map<String, String> env, Path log) {
            this.service = service;
            this.number = number;
            this.port = port;
            this.env = env;
            this.log = log;
        }

        String name() {
            return service + "#" + number;
        }
    }

    private final Path repoRoot;
    private final List<Replica> replicas = new ArrayList<>();

    ChaosFleet(Path repoRoot) {
        this.repoRoot = repoRoot;
    }

    Replica add(String service, int number, int port, Map<String, String> env, Path logDir) {
        Replica replica = new Replica(service, number, port, env, logDir.resolve(service + "-" + number + ".log"));
        replicas.add(replica);
        return replica;
    }

    List<Replica> replicas() {
        return List.copyOf(replicas);
    }

    synchronized void start(Replica replica) throws IOException {
        replica.process = ServiceProcess.startReplica(repoRoot, replica.service, replica.port, replica.env, replica.log);
    }

    void awaitReady(Replica replica, Duration timeout) throws IOException, InterruptedException {
        replica.process.awaitReady(timeout);
    }

    /** SIGKILL, then the same replica started again at once (a pod restarted by its ReplicaSet). */
    long killAndRestart(Replica replica) throws IOException, InterruptedException {
        ServiceProcess process = replica.process;
        long pid = process.pid();
        process.kill();
        start(replica);
        return pid;
    }

    @Override
    public synchronized void close() {
        for (Replica replica : replicas) {
            ServiceProcess process = replica.process;
            if (process != null && process.isAlive()) {
                try {
                    process.kill();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
