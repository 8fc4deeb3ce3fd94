package io.snaplake.cli.ops;

import io.snaplake.cli.ops.DayHistory.ClusterDay;
import io.snaplake.cli.ops.DayHistory.FailureView;
import io.snaplake.cli.ops.DayHistory.StageRun;
import io.snaplake.cli.ops.DayHistory.Status;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.stream.Collectors;

/** The day's history as a terminal table: one block per cluster, one line per stage, failures under it. */
public final class HistoryTable {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final String ROW = "  %-18s %-11s %-14s %-14s %9s  %s%n";

    private HistoryTable() {
    }

    public static String render(DayHistory history) {
        StringBuilder out = new StringBuilder();
        if (history.isEmpty()) {
            return "No events about snapshot day " + history.day() + " in the topics.\n";
        }
        for (ClusterDay cluster : history.clusters()) {
            out.append(String.format("%s  %s  (%s)  %s%n", cluster.cluster(), history.day(), cluster.snapshot().getSnapshotId(),
                    cluster.stuckAt().map(stage -> stage.status() == Status.FAILED ? "FAILED at " + stage.stage().serviceName()
                            : stage.status() == Status.RUNNING ? "waiting at " + stage.stage().serviceName()
                            : "stopped before " + stage.stage().serviceName()).orElse("done")));
            out.append(String.format(ROW, "stage", "status", "start (UTC)", "end (UTC)", "duration", "size"));
            for (StageRun run : cluster.stages()) {
                out.append(String.format(ROW, run.stage().serviceName(), status(run), time(run.start()), time(run.end()),
                        run.duration().map(HistoryTable::duration).orElse(""), notes(run)).stripTrailing()).append('\n');
            }
            for (FailureView failure : cluster.failures()) {
                out.append(String.format("  ! %s failed %s%s: %s: %s%s%n", failure.stage().serviceName(), time(failure.at()),
                        failure.duringReplay() ? " (during a replay)" : "", failure.reason(), failure.message(), details(failure.details())));
                out.append("    replay: ").append(failure.replayCommand()).append('\n');
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String status(StageRun run) {
        return switch (run.status()) {
            case DONE -> "done";
            case FAILED -> "FAILED";
            case RUNNING -> "pending";
            case NOT_REACHED -> "-";
        };
    }

    private static String notes(StageRun run) {
        String replays = run.replays().isEmpty() ? "" : (run.size().isEmpty() ? "" : "; ")
                + "replayed " + (run.replays().size() == 1 ? "once" : run.replays().size() + " times")
                + " (last " + time(run.replays().get(run.replays().size() - 1)) + ")";
        return run.size() + replays;
    }

    static String details(Map<String, String> details) {
        return details.isEmpty() ? "" : " [" + details.entrySet().stream()
                .map(entry -> entry.getKey() + "=" + entry.getValue()).collect(Collectors.joining(", ")) + "]";
    }

    static String time(Instant instant) {
        return instant == null ? "" : TIME.format(instant);
    }

    static String duration(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds < 60) {
            return String.format("%.1fs", duration.toMillis() / 1000.0);
        }
        if (seconds < 3600) {
            return String.format("%dm%02ds", seconds / 60, seconds % 60);
        }
        return String.format("%dh%02dm", seconds / 3600, (seconds % 3600) / 60);
    }
}
