package io.snaplake.cli.bench;

import io.snaplake.cli.bench.ScheduleSimulation.Outcome;
import io.snaplake.cli.bench.ScheduleSimulation.Report;
import io.snaplake.cli.bench.ScheduleSimulation.Scenario;
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
        System.out.printf(Locale.ROOT, "simulated %d + %d days of exports in %d ms of wall time%n", reports.size(),
                clusters.size() * 2 * days.days(), (System.nanoTime() - began) / 1_000_000);
        System.out.printf(Locale.ROOT, "schedule makespan/bound: %.3f%n", Math.max(worst, worstPriority));
        System.out.printf(Locale.ROOT, "schedule mean wait vs fifo: %.3f%n", largest.meanRatio());
        return 0;
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
