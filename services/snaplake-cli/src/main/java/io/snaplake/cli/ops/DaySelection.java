package io.snaplake.cli.ops;

import io.snaplake.events.SnapshotRef;
import io.snaplake.pipeline.Topic;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The snapshot day a command reads (a picocli mixin): the day, optionally some clusters, and how long
 * after the day its events can come; {@link #read} reads that window of the topics.
 */
public final class DaySelection {

    @Option(names = "--date", required = true, description = "The snapshot day (YYYY-MM-DD).")
    LocalDate date;

    @Option(names = "--cluster", description = "Only these clusters (repeatable; default every cluster of the day).")
    List<String> clusters = new ArrayList<>();

    @Option(names = "--lookahead", defaultValue = "P3D",
            description = "How long after the day its events can come (ISO-8601, default ${DEFAULT-VALUE}); only this window is read.")
    Duration lookahead;

    public DaySelection() {
    }

    /** Every cluster of {@code date}, with the default lookahead. */
    public static DaySelection of(LocalDate date) {
        DaySelection day = new DaySelection();
        day.date = date;
        day.lookahead = DayWindow.DEFAULT_LOOKAHEAD;
        return day;
    }

    public LocalDate date() {
        return date;
    }

    public List<String> clusters() {
        return List.copyOf(clusters);
    }

    public DayWindow window(Instant now) {
        return DayWindow.of(date, lookahead, now);
    }

    /** A snapshot of the day and of a chosen cluster. */
    public boolean includes(SnapshotRef snapshot) {
        return snapshot.getSnapshotDate().equals(date) && (clusters.isEmpty() || clusters.contains(snapshot.getClusterId()));
    }

    /** The day's events on {@code topics} within {@code window}. */
    public DayReader.Result read(KafkaEndpoints endpoints, Collection<Topic> topics, DayWindow window) {
        try (DayReader reader = new DayReader(endpoints)) {
            return reader.read(topics, window.from(), window.to(), this::includes);
        }
    }
}
