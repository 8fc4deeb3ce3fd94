package io.snaplake.cli.ops;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code snaplake history}: one snapshot day, per cluster and stage, read from the topics. */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = "Show a snapshot day per cluster and stage (times, sizes, failures, replays), read from the topics.")
public final class HistoryCommand implements Callable<Integer> {

    @Mixin
    DaySelection day = new DaySelection();

    @Option(names = "--html", description = "Also write the day as one self-contained HTML page to this file.")
    Path html;

    @Mixin
    KafkaEndpoints endpoints = new KafkaEndpoints();

    Clock clock = Clock.systemUTC();
    PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        DayWindow window = day.window(Instant.now(clock));
        DayReader.Result read = day.read(endpoints, Flow.journeyTopics(), window);
        DayHistory history = DayHistory.of(day.date(), read.events());
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
