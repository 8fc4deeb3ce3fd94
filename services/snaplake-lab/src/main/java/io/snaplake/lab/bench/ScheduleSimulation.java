package io.snaplake.lab.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.snaplake.events.DiscoverySource;
import io.snaplake.events.EventMetadata;
import io.snaplake.events.SnapshotCreated;
import io.snaplake.events.SnapshotRef;
import io.snaplake.events.SnapshotSourceType;
import io.snaplake.exportscheduler.domain.ExportEvents;
import io.snaplake.exportscheduler.domain.ExportMetrics;
import io.snaplake.exportscheduler.domain.ExportScheduler;
import io.snaplake.exportscheduler.domain.ExportSettingsByCluster;
import io.snaplake.exportscheduler.domain.SchedulerSettings;
import io.snaplake.exportscheduler.domain.SchedulingPolicy;
import io.snaplake.exportscheduler.domain.ExportSettings;
import io.snaplake.exportscheduler.domain.ExportStateStore;
import io.snaplake.events.ExportTaskState;
import io.snaplake.exportscheduler.domain.RdsExportException;
import io.snaplake.exportscheduler.domain.StartExportRequest;
import io.snaplake.exportscheduler.simulation.SimulatedRds;
import io.snaplake.exportscheduler.simulation.VirtualTime;
import io.snaplake.pipeline.EventIds;
import io.snaplake.pipeline.EventMetadataFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A day of automated snapshots, exported three ways against the same {@link SimulatedRds} model (which
 * enforces the limit), in virtual time:
 * <ul>
 *   <li>the real {@link ExportScheduler}, with its production defaults;</li>
 *   <li>the ideal: an offline schedule that starts the next waiting export, in snapshot-time order, the
 *       instant a slot frees (a lower bound for any online policy that keeps snapshot-time order);</li>
 *   <li>the blog's policy: each snapshot calls StartExportTask and, on ExportTaskLimitReachedFault,
 *       sleeps 10 minutes and tries again.</li>
 * </ul>
 */
public final class ScheduleSimulation {

    public static final Instant DAY = Instant.parse("2026-11-20T00:00:00Z");
    private static final Duration BLOG_SLEEP = Duration.ofMinutes(10);
    static final ExportSettings SETTINGS = new ExportSettings("lake-exports", "exports",
            "arn:aws:kms:us-east-1:123456789012:key/bench", "arn:aws:iam::123456789012:role/bench", List.of());

    private ScheduleSimulation() {
    }

    /**
     * @param clusters      clusters, one automated snapshot each
     * @param backupWindow  each cluster's backup window starts at a uniform time in [00:00, backupWindow);
     *                      its snapshot is created at a uniform time in the 30 minutes after that
     * @param medianExport  median export duration (lognormal)
     * @param sigma         lognormal shape (standard deviation of the log)
     * @param minExport     durations are clipped to [minExport, maxExport]
     * @param seed          random seed: the same seed, the same day
     * @param limit         the account's limit of concurrent exports
     */
    public record Scenario(int clusters, Duration backupWindow, Duration medianExport, double sigma, Duration minExport,
            Duration maxExport, long seed, int limit) {

        public static Scenario ofClusters(int clusters, long seed) {
            return new Scenario(clusters, Duration.ofHours(4), Duration.ofMinutes(20), 0.8, Duration.ofMinutes(3),
                    Duration.ofHours(8), seed, 5);
        }

        /** Mean of the (unclipped) lognormal: median * exp(sigma^2 / 2). */
        public Duration meanExport() {
            return Duration.ofMillis((long) (medianExport.toMillis() * Math.exp(sigma * sigma / 2)));
        }
    }

    /** One snapshot: when it is created and how long its export takes. */
    public record Arrival(SnapshotCreated request, Instant at, Duration exportDuration) {
    }

    /**
     * @param makespan    first snapshot's creation to the last export's completion
     * @param utilisation mean share of the limit's slots in use over the makespan
     */
    public record Outcome(String policy, Duration makespan, double utilisation, int startCalls, int limitFaults,
            int exported) {
    }

    public record Report(Scenario scenario, Outcome scheduler, Outcome ideal, Outcome blog) {

        /** The scheduler's makespan over the ideal one. */
        public double ratio() {
            return (double) scheduler.makespan().toMillis() / ideal.makespan().toMillis();
        }
    }

    public static Report run(Scenario scenario) {
        List<Arrival> arrivals = arrivals(scenario);
        return new Report(scenario, scheduler(scenario, arrivals), ideal(scenario, arrivals), blog(scenario, arrivals));
    }

    /** The day's snapshots, in snapshot-time order. */
    public static List<Arrival> arrivals(Scenario scenario) {
        Random random = new Random(scenario.seed());
        List<Arrival> arrivals = new ArrayList<>();
        for (int i = 0; i < scenario.clusters(); i++) {
            long windowStart = (long) (random.nextDouble() * scenario.backupWindow().toMillis());
            long inWindow = (long) (random.nextDouble() * Duration.ofMinutes(30).toMillis());
            Instant at = DAY.plusMillis(windowStart + inWindow).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            double minutes = scenario.medianExport().toMillis() / 60_000.0 * Math.exp(scenario.sigma() * random.nextGaussian());
            Duration duration = clip(Duration.ofMillis((long) (minutes * 60_000)), scenario.minExport(), scenario.maxExport());
            arrivals.add(new Arrival(created(String.format("cluster-%03d", i), at), at, duration));
        }
        arrivals.sort(Comparator.comparing(Arrival::at));
        return List.copyOf(arrivals);
    }

    /** The service's scheduler on virtual time, with the deployment's poll and retry timings and no state topic. */
    static ExportScheduler newScheduler(int limit, SimulatedRds rds, SimulationPublisher publisher, SchedulingPolicy policy,
            VirtualTime time) {
        SchedulerSettings settings = new SchedulerSettings(limit, Duration.ofSeconds(30), Duration.ofMinutes(5), 2.0,
                SchedulerSettings.retry(Duration.ofSeconds(5), Duration.ofMinutes(5)), SchedulerSettings.DEFAULT_STATE_RETENTION);
        return new ExportScheduler(rds, new NoStateStore(), publisher,
                new ExportEvents(new EventMetadataFactory("export-scheduler", time)), settings,
                ExportSettingsByCluster.everyCluster(SETTINGS), policy, time, time, ExportMetrics.none());
    }

    /** The real scheduler, fed each snapshot at its creation time. */
    public static Outcome scheduler(Scenario scenario, List<Arrival> arrivals) {
        VirtualTime time = new VirtualTime(DAY);
        SimulatedRds rds = new SimulatedRds(time, scenario.limit(), durations(arrivals));
        ExportScheduler scheduler = newScheduler(scenario.limit(), rds, new SimulationPublisher(false),
                SchedulingPolicy.defaults(), time);
        scheduler.start();
        arrivals.forEach(arrival -> time.at(arrival.at(), () -> scheduler.request(arrival.request(), 0)));
        time.runUntilIdle(DAY.plus(Duration.ofDays(30)));
        return measure("snaplake scheduler", scenario, arrivals, rds);
    }

    /** Offline list schedule in snapshot-time order: each export starts at max(arrival, earliest free slot). */
    public static Outcome ideal(Scenario scenario, List<Arrival> arrivals) {
        PriorityQueue<Instant> slotsFreeAt = new PriorityQueue<>();
        for (int i = 0; i < scenario.limit(); i++) {
            slotsFreeAt.add(Instant.MIN);
        }
        Instant lastEnd = Instant.MIN;
        long busyMillis = 0;
        for (Arrival arrival : arrivals) {
            Instant free = slotsFreeAt.poll();
            Instant start = free.isAfter(arrival.at()) ? free : arrival.at();
            Instant end = start.plus(arrival.exportDuration());
            slotsFreeAt.add(end);
            lastEnd = end.isAfter(lastEnd) ? end : lastEnd;
            busyMillis += arrival.exportDuration().toMillis();
        }
        Duration makespan = Duration.between(arrivals.get(0).at(), lastEnd);
        return new Outcome("ideal (offline)", makespan, utilisation(busyMillis, scenario.limit(), makespan),
                arrivals.size(), 0, arrivals.size());
    }

    /** The blog's policy: on ExportTaskLimitReachedFault, sleep 10 minutes and call again. */
    public static Outcome blog(Scenario scenario, List<Arrival> arrivals) {
        VirtualTime time = new VirtualTime(DAY);
        SimulatedRds rds = new SimulatedRds(time, scenario.limit(), durations(arrivals));
        for (Arrival arrival : arrivals) {
            time.at(arrival.at(), new Runnable() {
                @Override
                public void run() {
                    SnapshotRef snapshot = arrival.request().getSnapshot();
                    try {
                        rds.start(new StartExportRequest("blog-" + snapshot.getClusterId(), snapshot.getSnapshotArn(),
                                SETTINGS.bucket(), "", SETTINGS.iamRoleArn(), SETTINGS.kmsKeyId(), List.of()));
                    } catch (RdsExportException.LimitReached e) {
                        time.at(time.instant().plus(BLOG_SLEEP), this);
                    }
                }
            });
        }
        time.runUntilIdle(DAY.plus(Duration.ofDays(30)));
        // Exports end on their own; move the clock past the last one so that every run has an end.
        time.runUntil(DAY.plus(Duration.ofDays(30)));
        return measure("blog (sleep 10 min)", scenario, arrivals, rds);
    }

    private static Outcome measure(String policy, Scenario scenario, List<Arrival> arrivals, SimulatedRds rds) {
        List<SimulatedRds.ExportRun> runs = rds.runs();
        if (runs.size() != arrivals.size() || runs.stream().anyMatch(run -> run.endedAt() == null)) {
            throw new IllegalStateException(policy + " exported " + runs.size() + " of " + arrivals.size() + " snapshots");
        }
        Instant lastEnd = runs.stream().map(SimulatedRds.ExportRun::endedAt).max(Comparator.naturalOrder()).orElseThrow();
        long busyMillis = runs.stream().mapToLong(run -> Duration.between(run.startedAt(), run.endedAt()).toMillis()).sum();
        Duration makespan = Duration.between(arrivals.get(0).at(), lastEnd);
        return new Outcome(policy, makespan, utilisation(busyMillis, scenario.limit(), makespan), rds.startCalls(),
                rds.limitFaults(), runs.size());
    }

    private static double utilisation(long busyMillis, int limit, Duration makespan) {
        return busyMillis / ((double) limit * makespan.toMillis());
    }

    private static Function<StartExportRequest, Duration> durations(List<Arrival> arrivals) {
        Map<String, Duration> bySnapshot = arrivals.stream().collect(Collectors.toMap(
                arrival -> arrival.request().getSnapshot().getSnapshotArn(), Arrival::exportDuration));
        return request -> bySnapshot.get(request.sourceArn());
    }

    static Duration clip(Duration value, Duration min, Duration max) {
        return value.compareTo(min) < 0 ? min : value.compareTo(max) > 0 ? max : value;
    }

    static SnapshotCreated created(String cluster, Instant at) {
        String snapshotId = "rds:" + cluster + "-" + DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm").withZone(ZoneOffset.UTC).format(at);
        String arn = "arn:aws:rds:us-east-1:123456789012:cluster-snapshot:" + snapshotId;
        return SnapshotCreated.newBuilder()
                .setMetadata(EventMetadata.newBuilder()
                        .setEventId(EventIds.of("SnapshotCreated", arn))
                        .setRunId(EventIds.runId(arn))
                        .setOccurredAt(at)
                        .setProducer("snapshot-listener")
                        .build())
                .setSnapshot(SnapshotRef.newBuilder()
                        .setAccountId("123456789012")
                        .setRegion("us-east-1")
                        .setSourceType(SnapshotSourceType.CLUSTER)
                        .setClusterId(cluster)
                        .setSnapshotId(snapshotId)
                        .setSnapshotArn(arn)
                        .setSnapshotDate(LocalDate.ofInstant(at, ZoneOffset.UTC))
                        .setSnapshotCreatedAt(at)
                        .build())
                .setDiscoveredBy(DiscoverySource.EVENT)
                .build();
    }

    /** The benchmark runs one replica that never restarts: nothing needs to be kept. */
    static final class NoStateStore implements ExportStateStore {
        @Override
        public void save(ExportTaskState state, int partition) {
        }

        @Override
        public void delete(SnapshotRef snapshot, int partition) {
        }

        @Override
        public Map<Integer, List<ExportTaskState>> restore(java.util.Collection<Integer> partitions) {
            return Map.of();
        }
    }
}
