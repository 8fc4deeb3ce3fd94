package io.snaplake.exportscheduler.simulation;

import io.snaplake.exportscheduler.domain.SchedulerTimer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.PriorityQueue;

/**
 * A clock and a timer in virtual time, for the benchmark and the unit tests: nothing sleeps; running the
 * next event moves the clock to its time. Single-threaded: everything runs on the caller's thread.
 */
public final class VirtualTime extends Clock implements SchedulerTimer {

    private final PriorityQueue<Event> events = new PriorityQueue<>();
    private Instant now;
    private long sequence;
    private Event pendingLoopRun;

    public VirtualTime(Instant start) {
        this.now = start;
    }

    /** Schedules an independent event (an arrival, an external change) at {@code when}. */
    public void at(Instant when, Runnable task) {
        events.add(new Event(later(when), sequence++, task));
    }

    /** The scheduler loop's timer: only the earliest pending run is kept. */
    @Override
    public void runAt(Instant when, Runnable task) {
        Instant at = later(when);
        if (pendingLoopRun != null && !pendingLoopRun.time.isAfter(at)) {
            return;
        }
        if (pendingLoopRun != null) {
            pendingLoopRun.cancelled = true;
        }
        pendingLoopRun = new Event(at, sequence++, task);
        events.add(pendingLoopRun);
    }

    /** Forgets the loop's pending run, as a crash would: the loop runs again only when asked again. */
    public void dropPendingLoopRun() {
        if (pendingLoopRun != null) {
            pendingLoopRun.cancelled = true;
            pendingLoopRun = null;
        }
    }

    /** Runs the next event, if any; returns false when nothing is left. */
    public boolean runNext() {
        Event event;
        do {
            event = events.poll();
        } while (event != null && event.cancelled);
        if (event == null) {
            return false;
        }
        now = event.time;
        if (event == pendingLoopRun) {
            pendingLoopRun = null;
        }
        event.task.run();
        return true;
    }

    /** Runs events up to and including {@code until}, then sets the clock to it. */
    public void runUntil(Instant until) {
        while (true) {
            Event next = events.peek();
            if (next != null && next.cancelled) {
                events.poll();
                continue;
            }
            if (next == null || next.time.isAfter(until)) {
                break;
            }
            runNext();
        }
        now = later(until);
    }

    public void advance(Duration duration) {
        runUntil(now.plus(duration));
    }

    /** Runs events until none is left or {@code limit} is reached (a loop polling forever would never empty the queue). */
    public void runUntilIdle(Instant limit) {
        while (!events.isEmpty()) {
            Event next = events.peek();
            if (!next.cancelled && next.time.isAfter(limit)) {
                return;
            }
            runNext();
        }
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("virtual time is UTC");
    }

    private Instant later(Instant when) {
        return when.isBefore(now) ? now : when;
    }

    private static final class Event implements Comparable<Event> {
        final Instant time;
        final long sequence;
        final Runnable task;
        boolean cancelled;

        Event(Instant time, long sequence, Runnable task) {
            this.time = time;
            this.sequence = sequence;
            this.task = task;
        }

        @Override
        public int compareTo(Event other) {
            int byTime = time.compareTo(other.time);
            return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
        }
    }
}
