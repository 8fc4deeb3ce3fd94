package io.snaplake.cli.ops;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code snaplake history}: one snapshot day, per cluster and stage, read from the topics. */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = "Show a snapshot day per cluster and stage (times, sizes, failures, replays), read from the topics.")
public final class HistoryCommand implements Callable<Integer> {

    @Option(names = "--date", required = true, description = "The snapshot day (YYYY-MM-DD).")
    LocalDate date;

    @Option(names = "--cluster", description = "Only these clusters (repeatable).")
    List<String> clusters = List.of();

    @Option(names = "--html", description = "Also write the day as one self-contained HTML page to this file.")
    Path html;

    @Option(names = "--lookahead", defaultValue = "P3D",
            description = "How long after the day its events can come (ISO-8601, default ${DEFAULT-VALUE}); only this window is read.")
    Duration lookahead;

    @Mixin
    KafkaEndpoints endpoints = new KafkaEndpoints();

    Clock clock = Clock.systemUTC();
    PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        DayWindow window = DayWindow.of(date, lookahead, Instant.now(clock));
        DayReader.Result read;
        try (DayReader reader = new DayReader(endpoints)) {
            read = reader.read(Flow.journeyTopics(), window.from(), window.to(),
                    snapshot -> snapshot.getSnapshotDate().equals(date)
                            && (clusters.isEmpty() || clusters.contains(snapshot.getClusterId())));
        }
        DayHistory history = DayHistory.of(date, read.events());
        out.print(HistoryTable.render(history));
        out.printf("read %d events from %s to %s (%s)%s%n", read.recordsRead(), HistoryTable.time(window.from()),
                HistoryTable.time(window.to()), endpoints,
                read.undecodable() == 0 ? "" : "; " + read.undecodable() + " records were not snaplake events");
        if (!read.missingTopics().isEmpty()) {
            out.println("topics not found (stages not deployed?): " + String.join(", ", read.missingTopics()));
        }
        if (html != null) {
            if (html.toAbsolutePath().getParent() != null) {
                Files.createDirectories(html.toAbsolutePath().getParent());
            }
            Files.writeString(html, HistoryPage.render(history, Instant.now(clock)));
            out.println("page written to " + html.toAbsolutePath());
        }
        return 0;
    }
}
