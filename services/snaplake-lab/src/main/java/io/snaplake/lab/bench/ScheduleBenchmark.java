package io.snaplake.lab.bench;

import io.snaplake.lab.bench.ScheduleSimulation.Outcome;
import io.snaplake.lab.bench.ScheduleSimulation.Report;
import io.snaplake.lab.bench.ScheduleSimulation.Scenario;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code snaplake bench schedule}: a day of automated snapshots through the real export scheduler against
 * a simulated RDS that enforces the export limit, in virtual time; compared with the ideal schedule and
 * with the blog's "sleep 10 minutes on the limit fault" policy, all in the same run.
 */
@Command(name = "schedule", mixinStandardHelpOptions = true,
        description = "Simulate a day of RDS exports through the real scheduler (virtual time) and compare with the ideal and the blog's policy.")
public final class ScheduleBenchmark implements Callable<Integer> {

    @Option(names = "--clusters", split = ",", defaultValue = "16,200", description = "Cluster counts to simulate (default: ${DEFAULT-VALUE}).")
    List<Integer> clusters;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed of arrivals and durations (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--sweep-seeds", defaultValue = "10", description = "The several-day run at the largest cluster count is repeated"
            + " with seeds 1 to this (default: ${DEFAULT-VALUE}; 0: none), so that the last two figures do not hang on one seed.")
    int sweepSeeds;

    @Override
    public Integer call() {
        quietSchedulerLogs();
        Scenario shape = Scenario.ofClusters(1, seed);
        System.out.println("snaplake bench schedule: one day of automated cluster snapshots, real ExportScheduler, simulated RDS, virtual time");
        System.out.printf(Locale.ROOT, "arrivals:  each cluster's backup window starts uniformly in 00:00-%s UTC; its snapshot lands uniformly in the window's 30 min%n",
                hours(shape.backupWindow()));
        System.out.printf(Locale.ROOT, "durations: lognormal, median %s, sigma %.1f (mean %s), clipped to [%s, %s]; seed %d%n",
                minutes(shape.medianExport()), shape.sigma(), minutes(shape.meanExport()), minutes(shape.minExport()),
                hours(shape.maxExport()), seed);
        System.out.printf(Locale.ROOT, "limit:     %d concurrent exports (enforced: StartExportTask answers ExportTaskLimitReachedFault); scheduler polls every 30 s (backs off to 5 min while nothing waits)%n%n",
                shape.limit());
        System.out.printf(Locale.ROOT, "%-9s %-22s %10s %12s %12s %13s%n", "clusters", "policy", "makespan", "utilisation", "start calls", "limit faults");
        long began = System.nanoTime();
        List<Report> reports = new ArrayList<>();
        for (int count : clusters) {
            Report report = ScheduleSimulation.run(Scenario.ofClusters(count, seed));
            reports.add(report);
            for (Outcome outcome : List.of(report.scheduler(), report.ideal(), report.blog())) {
                System.out.printf(Locale.ROOT, "%-9d %-22s %10s %11.1f%% %12d %13d%n", count, outcome.policy(),
                        hoursMinutes(outcome.makespan()), 100 * outcome.utilisation(), outcome.startCalls(), outcome.limitFaults());
            }
            System.out.printf(Locale.ROOT, "%-9d makespan/ideal: scheduler %.3f, blog %.3f%n%n", count, report.ratio(),
                    (double) report.blog().makespan().toMillis() / report.ideal().makespan().toMillis());
        }
        double worst = reports.stream().mapToDouble(Report::ratio).max().orElseThrow();

        MultiDaySchedule.Scenario days = MultiDaySchedule.Scenario.ofClusters(1, seed);
        System.out.printf(Locale.ROOT, "%d days of clusters with stable sizes: each cluster its own median duration (lognormal across clusters as above),"
                + " day-to-day noise sigma %.2f, %.0f%% of clusters high priority (10), snapshot size known to within sigma %.1f;"
                + " time from snapshot to export complete, minutes%n", days.days(), days.dayNoise(), 100 * days.highPriority(), days.sizeError());
        System.out.printf(Locale.ROOT, "%-9s %-24s %9s %9s %11s %11s %16s %9s%n", "clusters", "policy", "mean", "p95", "high mean",
                "high p95", "worst day/bound", "warnings");
        MultiDaySchedule.Report largest = null;
        double worstPriority = 0;
        for (int count : clusters) {
            MultiDaySchedule.Report report = MultiDaySchedule.run(MultiDaySchedule.Scenario.ofClusters(count, seed));
            for (MultiDaySchedule.Outcome outcome : List.of(report.fifo(), report.priority())) {
                System.out.printf(Locale.ROOT, "%-9d %-24s %9.1f %9.1f %11.1f %11.1f %16.3f %9d%n", count, outcome.policy(),
                        outcome.all().meanMinutes(), outcome.all().p95Minutes(), outcome.high().meanMinutes(),
                        outcome.high().p95Minutes(), outcome.worstDayRatio(), outcome.expiryWarnings());
            }
            System.out.printf(Locale.ROOT, "%-9d mean vs fifo %.3f, high-priority mean vs fifo %.3f%n%n", count, report.meanRatio(),
                    report.priority().high().meanMinutes() / report.fifo().high().meanMinutes());
            worstPriority = Math.max(worstPriority, report.priority().worstDayRatio());
            largest = report;
        }
        SeedSweep sweep = sweep(clusters.get(clusters.size() - 1), largest);
        System.out.printf(Locale.ROOT, "simulated %d + %d days of exports in %d ms of wall time%n", reports.size(),
                (clusters.size() + sweepSeeds) * 2 * days.days(), (System.nanoTime() - began) / 1_000_000);
        System.out.printf(Locale.ROOT, "schedule makespan/bound: %.3f%n", Math.max(worst, Math.max(worstPriority, sweep.worstDayRatio())));
        System.out.printf(Locale.ROOT, "schedule mean wait vs fifo: %.3f%n", sweep.worstMeanRatio());
        return 0;
    }

    /**
     * What the last two lines report when the several-day run is repeated over seeds: the worst of them, so
     * that each goal holds on every seed, not on the median one.
     */
    private record SeedSweep(double worstDayRatio, double worstMeanRatio) {
    }

    /**
     * The several-day run at {@code count} clusters with seeds 1..{@link #sweepSeeds}: each seed draws other
     * clusters, windows and durations, and a day's makespan depends on its longest exports, so one seed's
     * figure can be luck. Without seeds to sweep, the run of {@link #seed} stands alone.
     */
    private SeedSweep sweep(int count, MultiDaySchedule.Report ofTheSeed) {
        if (sweepSeeds <= 0) {
            return new SeedSweep(ofTheSeed.priority().worstDayRatio(), ofTheSeed.meanRatio());
        }
        System.out.printf(Locale.ROOT, "%d clusters, the same %d days with seeds 1-%d: worst day's makespan over its first-come-first-served bound,"
                + " and the priority policy's mean time to export over first come first served's%n", count,
                MultiDaySchedule.Scenario.ofClusters(count, 1).days(), sweepSeeds);
        System.out.printf(Locale.ROOT, "%-6s %22s %22s %14s %20s%n", "seed", "fifo worst day/bound", "priority worst day", "mean vs fifo",
                "high mean vs fifo");
        List<Double> worstDays = new ArrayList<>();
        List<Double> meanRatios = new ArrayList<>();
        for (long s = 1; s <= sweepSeeds; s++) {
            MultiDaySchedule.Report report = MultiDaySchedule.run(MultiDaySchedule.Scenario.ofClusters(count, s));
            worstDays.add(report.priority().worstDayRatio());
            meanRatios.add(report.meanRatio());
            // A small run may draw no high-priority cluster at all.
            String highRatio = report.fifo().high().count() == 0 ? "none"
                    : String.format(Locale.ROOT, "%.3f", report.priority().high().meanMinutes() / report.fifo().high().meanMinutes());
            System.out.printf(Locale.ROOT, "%-6d %22.3f %22.3f %14.3f %20s%n", s, report.fifo().worstDayRatio(),
                    report.priority().worstDayRatio(), report.meanRatio(), highRatio);
        }
        System.out.printf(Locale.ROOT, "over %d seeds: priority worst day/bound min %.3f, median %.3f, max %.3f; mean vs fifo min %.3f, median %.3f, max %.3f%n",
                sweepSeeds, min(worstDays), median(worstDays), max(worstDays), min(meanRatios), median(meanRatios), max(meanRatios));
        System.out.println("below: makespan/bound is the worst of every run above (one day, every seed's worst day);"
                + " mean wait vs fifo is the worst seed's (the highest over the seeds)");
        System.out.println();
        return new SeedSweep(max(worstDays), max(meanRatios));
    }

    private static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    }

    private static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** The scheduler logs every start and completion; thousands of lines would bury the figures. */
    private static void quietSchedulerLogs() {
        LoggingSystem logging = LoggingSystem.get(ScheduleBenchmark.class.getClassLoader());
        logging.beforeInitialize();
        logging.setLogLevel("io.snaplake.exportscheduler", LogLevel.WARN);
    }

    private static String hoursMinutes(Duration duration) {
        return String.format(Locale.ROOT, "%dh%02dm%02ds", duration.toHours(), duration.toMinutesPart(), duration.toSecondsPart());
    }

    private static String minutes(Duration duration) {
        return String.format(Locale.ROOT, "%.1f min", duration.toMillis() / 60_000.0);
    }

    private static String hours(Duration duration) {
        return String.format(Locale.ROOT, "%02d:%02d", duration.toHours(), duration.toMinutesPart());
    }
}
