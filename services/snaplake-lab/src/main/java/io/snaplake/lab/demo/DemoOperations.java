package io.snaplake.lab.demo;

import io.snaplake.cli.ops.DayHistory;
import io.snaplake.cli.ops.DayReader;
import io.snaplake.cli.ops.DaySelection;
import io.snaplake.cli.ops.Flow;
import io.snaplake.cli.ops.HistoryTable;
import io.snaplake.cli.ops.KafkaEndpoints;
import io.snaplake.lab.SnaplakeLab;
import io.snaplake.pipeline.Topic;
import java.io.PrintStream;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's operator part: the day's history as {@code ./snaplake history} prints it, then one cluster
 * replayed from the copy stage with {@code ./snaplake replay}, and the proof that it started no new export.
 */
final class DemoOperations {

    private DemoOperations() {
    }

    /** Prints the history and replays {@code cluster} from the parquet-copier; returns what went wrong. */
    static List<String> historyAndReplay(String kafka, String registry, DemoAws aws, LocalDate day, String cluster, PrintStream out) {
        List<String> problems = new ArrayList<>();
        KafkaEndpoints endpoints = KafkaEndpoints.of(kafka, registry);
        out.println("\nThe day's history (./snaplake history --date " + day + "):\n");
        out.print(HistoryTable.render(history(endpoints, day, Instant.now())));

        int exportsBefore = aws.rds.describeExportTasks(r -> { }).exportTasks().size();
        Instant replayStart = Instant.now();
        out.println("Replaying " + cluster + " from the copy stage (./snaplake replay --date " + day + " --cluster " + cluster
                + " --from parquet-copier):\n");
        int exit = SnaplakeLab.commandLine().execute("replay", "--date", day.toString(), "--cluster", cluster,
                "--from", "parquet-copier", "--timeout", "PT2M", "--bootstrap-servers", kafka, "--registry-url", registry);
        if (exit != 0) {
            problems.add("the replay of " + cluster + " from parquet-copier ended with exit code " + exit);
        }
        int exportsAfter = aws.rds.describeExportTasks(r -> { }).exportTasks().size();
        long exportsStarted;
        try (DayReader reader = new DayReader(endpoints)) {
            exportsStarted = reader.read(List.of(Topic.EXPORTS_STARTED), replayStart, Instant.now(),
                    snapshot -> snapshot.getClusterId().equals(cluster)).events().size();
        }
        out.printf("%nNo new export: RDS export tasks %d before the replay, %d after; ExportStarted events since the replay: %d%n",
                exportsBefore, exportsAfter, exportsStarted);
        if (exportsAfter != exportsBefore || exportsStarted != 0) {
            problems.add("the replay from parquet-copier started an export (tasks " + exportsBefore + " -> " + exportsAfter
                    + ", ExportStarted events " + exportsStarted + ")");
        }
        return problems;
    }

    private static DayHistory history(KafkaEndpoints endpoints, LocalDate date, Instant now) {
        DaySelection day = DaySelection.of(date);
        return DayHistory.of(date, day.read(endpoints, Flow.journeyTopics(), day.window(now)).events());
    }
}
