package io.snaplake.snapshotlistener.domain;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The identifier RDS gives an automated snapshot, {@code rds:<source>-YYYY-MM-DD-HH-MM}, where the
 * source is the DB cluster (or DB instance) and the time is the snapshot's UTC start, to the minute.
 * The date in it is the day the snapshot stands for, which becomes the lake partition.
 *
 * @param snapshotId the whole identifier, e.g. rds:orders-2026-11-20-03-10
 * @param sourceId   the cluster or instance identifier, e.g. orders (itself may contain dashes and digits)
 * @param takenAt    the UTC time in the identifier
 */
public record AutomatedSnapshotId(String snapshotId, String sourceId, LocalDateTime takenAt) {

    // The timestamp is anchored at the end, so a source named "db-2024" still parses as "db-2024".
    private static final Pattern AUTOMATED = Pattern.compile(
            "rds:(?<source>[A-Za-z][A-Za-z0-9-]*?)-(?<year>\\d{4})-(?<month>\\d{2})-(?<day>\\d{2})-(?<hour>\\d{2})-(?<minute>\\d{2})");

    /** The parts of an automated snapshot's identifier; empty for a manual snapshot's or a malformed one. */
    public static Optional<AutomatedSnapshotId> parse(String snapshotId) {
        return WholeMatch.of(AUTOMATED, snapshotId).flatMap(matcher -> {
            try {
                LocalDateTime takenAt = LocalDateTime.of(
                        Integer.parseInt(matcher.group("year")), Integer.parseInt(matcher.group("month")),
                        Integer.parseInt(matcher.group("day")), Integer.parseInt(matcher.group("hour")),
                        Integer.parseInt(matcher.group("minute")));
                return Optional.of(new AutomatedSnapshotId(snapshotId, matcher.group("source"), takenAt));
            } catch (DateTimeException notADate) {
                return Optional.empty();
            }
        });
    }

    public LocalDate snapshotDate() {
        return takenAt.toLocalDate();
    }
}
