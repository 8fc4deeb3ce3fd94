package io.snaplake.cli.ops;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The time window that can hold the events about one snapshot day: a snapshot of day D is taken on D (UTC)
 * and its events follow within {@code lookahead} (exports take hours; an on-call replay comes within days).
 * Reading a day means reading this window of each topic ({@code offsetsForTimes}), never whole topics.
 */
public record DayWindow(LocalDate day, Instant from, Instant to) {

    public static final Duration DEFAULT_LOOKAHEAD = Duration.ofDays(3);

    /**
     * From the start of the day before D (an automated snapshot can be stamped with D while taken just
     * before midnight in another reckoning; a day of margin costs one day of reading) to the end of D plus
     * the lookahead, capped at {@code now}.
     */
    public static DayWindow of(LocalDate day, Duration lookahead, Instant now) {
        if (lookahead.isNegative()) {
            throw new IllegalArgumentException("the lookahead must not be negative: " + lookahead);
        }
        Instant from = day.minusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant to = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().plus(lookahead);
        return new DayWindow(day, from, to.isAfter(now) ? now : to);
    }
}
