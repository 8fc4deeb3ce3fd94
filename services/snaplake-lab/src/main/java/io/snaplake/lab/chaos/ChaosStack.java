package io.snaplake.lab.chaos;

import io.snaplake.cli.TopicLayout;
import io.snaplake.lab.demo.DemoAws;
import io.snaplake.lab.demo.StageEnvironment;
import io.snaplake.pipeline.Stage;
import io.snaplake.testkit.proxy.FaultPlan;
import io.snaplake.testkit.proxy.FaultProxy;
import io.snaplake.testkit.ApicurioRegistry;
import io.snaplake.testkit.LocalInfra;
import io.snaplake.testkit.LocalKafka;
import io.snaplake.testkit.SimulatedLakeFormation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/**
 * The chaos run's backends: a Kafka broker on a fixed port (restartable: clients keep their bootstrap
 * servers) and a registry whose schemas survive its restart (H2 file), as production's do; moto behind a
 * fault proxy, and the Lake Formation double behind a second one; the deployment's topics, the run's
 * buckets and queue. {@link #aws()} reads moto directly, past the proxy.
 */
record ChaosStack(LocalKafka kafka, ApicurioRegistry registry, FaultProxy awsProxy, SimulatedLakeFormation lakeFormation,
        FaultProxy lakeFormationProxy, DemoAws aws, String queueUrl) {

    /** A share of AWS calls answered with a fault after they were forwarded (they took effect). */
    private static final double FAULTS_AFTER_FORWARDING = 0.2;

    /** Starts everything, each part recorded in {@code started} as it starts. */
    static ChaosStack start(StartedResources started, Path registryData, double faultRate, long seed)
            throws Exception {
        LocalKafka kafka = started.add(LocalKafka.startRestartable());
        deleteRecursively(registryData);
        ApicurioRegistry registry = started.add(ApicurioRegistry.startPersistent(registryData));
        FaultProxy awsProxy = started.add(FaultProxy.builder(LocalInfra.moto().endpoint())
                .randomFaults(new FaultPlan(faultRate, seed, FAULTS_AFTER_FORWARDING)).recordWire().start());
        SimulatedLakeFormation lakeFormation = started.add(SimulatedLakeFormation.start());
        FaultProxy lakeFormationProxy = started.add(FaultProxy.builder(lakeFormation.endpoint())
                .randomFaults(new FaultPlan(faultRate, seed + 1, FAULTS_AFTER_FORWARDING)).start());
        // The deployment's topics: event topics, every consumer's dead-letter topic, compacted state topics.
        TopicLayout.createMissing(kafka.admin(), LocalKafka.PARTITIONS);
        DemoAws aws = started.add(new DemoAws(LocalInfra.moto().endpoint()));
        String queueUrl = ChaosSnapshots.RESOURCES.createIn(aws);
        return new ChaosStack(kafka, registry, awsProxy, lakeFormation, lakeFormationProxy, aws, queueUrl);
    }

    /**
     * The services' settings: every AWS call through the fault proxy, the listener on a pattern of clusters
     * (as a deployment names them: the hostile chaos99 is configured, unknown to RDS).
     */
    StageEnvironment environment(Path sharingPolicy) {
        return new StageEnvironment(kafka.bootstrapServers(), registry.url(), awsProxy.endpoint())
                .pipeline(ChaosSnapshots.RESOURCES, queueUrl, "chaos*", sharingPolicy, lakeFormationProxy.endpoint())
                .set(Stage.SNAPSHOT_LISTENER, "SNAPLAKE_LISTENER_QUEUE_VISIBILITYTIMEOUT", "20s")
                // The sweep finds the last day's automated snapshots too, while the chaos goes on.
                .set(Stage.SNAPSHOT_LISTENER, "SNAPLAKE_LISTENER_SWEEP_INITIALDELAY", "60s")
                .set(Stage.EXPORT_SCHEDULER, "SNAPLAKE_EXPORTSCHEDULER_RETRYMAXBACKOFF", "20s")
                // The earlier days' snapshots are days old: a week's retention, as the clusters would keep them.
                .set(Stage.EXPORT_SCHEDULER, "SNAPLAKE_EXPORTSCHEDULER_SCHEDULING_SNAPSHOTRETENTION", "7d")
                .set(Stage.PARQUET_COPIER, "SNAPLAKE_COPIER_CONCURRENCY", "16");
    }

    TopicReader topicReader() {
        return new TopicReader(kafka.bootstrapServers(), registry.url());
    }

    String describe() {
        return String.format("kafka %s, registry %s, moto %s (services use the fault proxy %s; Lake Formation double %s behind %s)",
                kafka.bootstrapServers(), registry.url(), LocalInfra.moto().endpoint(), awsProxy.endpoint(), lakeFormation.endpoint(),
                lakeFormationProxy.endpoint());
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (var walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
