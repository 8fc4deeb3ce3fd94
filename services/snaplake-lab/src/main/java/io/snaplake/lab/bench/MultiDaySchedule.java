package io.snaplake.lab.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.snaplake.events.SnapshotCreated;
import io.snaplake.exportscheduler.domain.ExportScheduler;
import io.snaplake.exportscheduler.domain.SchedulingPolicy;
import io.snaplake.exportscheduler.simulation.SimulatedRds;
import io.snaplake.exportscheduler.simulation.VirtualTime;
import io.snaplake.pipeline.EventMetadataFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * Several days of automated snapshots of clusters with stable sizes, through the real {@link ExportScheduler}
 * against {@link SimulatedRds} in virtual time, once first come first served and once with the priority
 * policy: each cluster has its own median export duration (lognormal across clusters) and its own backup
 * window, each day's export varies around the median (day-to-day noise), and a share of the clusters is
 * high priority. Measured: time from snapshot to export complete, for all and for the high-priority
 * clusters, and each day's makespan against the offline first-come-first-served schedule of that day.
 */
public final class MultiDaySchedule {

    /**
     * @param days          days simulated, one snapshot per cluster per day
     * @param dayNoise      sigma of the lognormal day-to-day factor on a cluster's median duration
     * @param highPriority  share of clusters with priority 10 (the others 0)
     * @param sizeError     sigma of the lognormal error of a snapshot's size as a predictor of its duration
     */
    public record Scenario(ScheduleSimulation.Scenario day, int days, double dayNoise, double highPriority, double sizeError) {

        public static Scenario ofClusters(int clusters, long seed) {
            return new Scenario(ScheduleSimulation.Scenario.ofClusters(clusters, seed), 7, 0.25, 0.1, 0.3);
        }
    }

    /** One cluster's snapshot of one day. */
    record Arrival(int day, boolean high, SnapshotCreated request, Instant at, Duration exportDuration) {
    }

    /** Time from snapshot to export complete. */
    public record Waits(double meanMinutes, double p95Minutes, int count) {
    }

    /** @param worstDayRatio the worst day's makespan over the offline FIFO schedule of the same day */
    public record Outcome(String policy, Waits all, Waits high, double worstDayRatio, int expiryWarnings, List<Double> dayRatios) {
    }

    public record Report(Scenario scenario, Outcome fifo, Outcome priority) {

        /** The priority policy's mean time to export over FIFO's. */
        public double meanRatio() {
            return priority.all().meanMinutes() / fifo.all().meanMinutes();
        }
    }

    private MultiDaySchedule() {
    }

    public static Report run(Scenario scenario) {
        List<String> clusters = new ArrayList<>();
        List<Arrival> arrivals = arrivals(scenario, clusters);
        Map<String, SchedulingPolicy.ClusterPolicy> perCluster = new HashMap<>();
        arrivals.stream().filter(Arrival::high).map(arrival -> arrival.request().getSnapshot().getClusterId()).distinct()
                .forEach(cluster -> perCluster.put(cluster, new SchedulingPolicy.ClusterPolicy(10, null)));
        // Automated snapshots kept 7 days (a common backup retention): none is near expiry in a run that keeps up.
        SchedulingPolicy priority = new SchedulingPolicy(SchedulingPolicy.Order.PRIORITY, SchedulingPolicy.defaults().agingStep(), Duration.ofHours(6),
                0, Duration.ofDays(7), 100, perCluster);
        SchedulingPolicy fifo = new SchedulingPolicy(SchedulingPolicy.Order.SNAPSHOT_TIME, SchedulingPolicy.defaults().agingStep(), Duration.ofHours(6),
                0, Duration.ofDays(7), 100, perCluster);
        return new Report(scenario, simulate("first come first served", scenario, arrivals, fifo),
                simulate("priority", scenario, arrivals, priority));
    }

    static List<Arrival> arrivals(Scenario scenario, List<String> clusterNames) {
        ScheduleSimulation.Scenario day = scenario.day();
        Random random = new Random(day.seed());
        List<Arrival> arrivals = new ArrayList<>();
        for (int i = 0; i < day.clusters(); i++) {
            String cluster = String.format("cluster-%03d", i);
            clusterNames.add(cluster);
            long windowStart = (long) (random.nextDouble() * day.backupWindow().toMillis());
            double medianMinutes = day.medianExport().toMillis() / 60_000.0 * Math.exp(day.sigma() * random.nextGaussian());
            boolean high = random.nextDouble() < scenario.highPriority();
            double sizeFactor = Math.exp(scenario.sizeError() * random.nextGaussian());
            for (int d = 0; d < scenario.days(); d++) {
                long inWindow = (long) (random.nextDouble() * Duration.ofMinutes(30).toMillis());
                Instant at = ScheduleSimulation.DAY.plus(Duration.ofDays(d)).plusMillis(windowStart + inWindow)
                        .truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
                double minutes = medianMinutes * Math.exp(scenario.dayNoise() * random.nextGaussian());
                Duration duration = ScheduleSimulation.clip(Duration.ofMillis((long) (minutes * 60_000)), day.minExport(), day.maxExport());
                SnapshotCreated created = ScheduleSimulation.created(cluster, at);
                // The snapshot's size: the cluster's typical duration at the assumed 100 GB/h, off by the size error.
                created.setAllocatedStorageGb((int) Math.max(1, Math.round(medianMinutes / 60 * 100 * sizeFactor)));
                arrivals.add(new Arrival(d, high, created, at, duration));
            }
        }
        arrivals.sort(Comparator.comparing(Arrival::at));
        return List.copyOf(arrivals);
    }

    private static Outcome simulate(String name, Scenario scenario, List<Arrival> arrivals, SchedulingPolicy policy) {
        ScheduleSimulation.Scenario day = scenario.day();
        VirtualTime time = new VirtualTime(ScheduleSimulation.DAY);
        Map<String, Arrival> bySnapshot = arrivals.stream().collect(Collectors.toMap(
                arrival -> arrival.request().getSnapshot().getSnapshotArn(), arrival -> arrival));
        SimulatedRds rds = new SimulatedRds(time, day.limit(), request -> bySnapshot.get(request.sourceArn()).exportDuration());
        SimulationPublisher publisher = new SimulationPublisher(true);
        ExportScheduler scheduler = ScheduleSimulation.newScheduler(day.limit(), rds, publisher, policy, time);
        scheduler.start();
        arrivals.forEach(arrival -> time.at(arrival.at(), () -> scheduler.request(arrival.request(), 0)));
        Instant limit = ScheduleSimulation.DAY.plus(Duration.ofDays(scenario.days() + 30L));
        time.runUntilIdle(limit);
        time.runUntil(limit);

        List<SimulatedRds.ExportRun> runs = rds.runs();
        if (runs.size() != arrivals.size() || runs.stream().anyMatch(run -> run.endedAt() == null)) {
            throw new IllegalStateException(name + " exported " + runs.size() + " of " + arrivals.size() + " snapshots");
        }
        List<Double> all = new ArrayList<>();
        List<Double> high = new ArrayList<>();
        Map<Integer, Instant> lastEndOfDay = new HashMap<>();
        for (SimulatedRds.ExportRun run : runs) {
            Arrival arrival = bySnapshot.get(run.request().sourceArn());
            double minutes = Duration.between(arrival.at(), run.endedAt()).toMillis() / 60_000.0;
            all.add(minutes);
            if (arrival.high()) {
                high.add(minutes);
            }
            lastEndOfDay.merge(arrival.day(), run.endedAt(), (a, b) -> a.isAfter(b) ? a : b);
        }
        double worst = 0;
        List<Double> dayRatios = new ArrayList<>();
        for (int d = 0; d < scenario.days(); d++) {
            int dayIndex = d;
            List<ScheduleSimulation.Arrival> ofDay = arrivals.stream().filter(arrival -> arrival.day() == dayIndex)
                    .map(arrival -> new ScheduleSimulation.Arrival(arrival.request(), arrival.at(), arrival.exportDuration()))
                    .toList();
            ScheduleSimulation.Outcome ideal = ScheduleSimulation.ideal(day, ofDay);
            Duration makespan = Duration.between(ofDay.get(0).at(), lastEndOfDay.get(d));
            double ratio = (double) makespan.toMillis() / ideal.makespan().toMillis();
            dayRatios.add(ratio);
            worst = Math.max(worst, ratio);
        }
        return new Outcome(name, waits(all), waits(high), worst, publisher.expiryWarnings(), dayRatios);
    }

    private static Waits waits(List<Double> minutes) {
        if (minutes.isEmpty()) {
            return new Waits(0, 0, 0);
        }
        List<Double> sorted = minutes.stream().sorted().toList();
        double mean = sorted.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double p95 = sorted.get((int) Math.ceil(0.95 * sorted.size()) - 1);
        return new Waits(mean, p95, sorted.size());
    }
}
