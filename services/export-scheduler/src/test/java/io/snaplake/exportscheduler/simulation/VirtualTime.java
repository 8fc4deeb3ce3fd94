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
 *
 * <p>As a {@link SchedulerTimer} it is one scheduler's loop timer; {@link #newLoopTimer} gives further,
 * independent ones on the same clock, for several schedulers (replicas) sharing one virtual time.
 */
public final class VirtualTime extends Clock implements SchedulerTimer {

    private final PriorityQueue<Event> events = new PriorityQueue<>();
    private Instant now;
    private final LoopTimer loop = new LoopTimer();
    private long sequence;

    public VirtualTime(Instant start) {
        this.now = start;
    }

    /** Schedules an independent event (an arrival, an external change) at {@code when}. */
    public void at(Instant when, Runnable task) {
        events.add(new Event(later(when), sequence++, task, null));
    }

    /** The scheduler loop's timer: only the earliest pending run is kept. */
    @Override
    public void runAt(Instant when, Runnable task) {
        loop.runAt(when, task);
    }

    /**
     * Another loop timer on this clock, for a second scheduler: it keeps its own earliest pending run, so
     * neither scheduler's request replaces the other's.
     */
    public SchedulerTimer newLoopTimer() {
        return new LoopTimer();
    }

    /** Forgets the loop's pending run, as a crash would: the loop runs again only when asked again. */
    public void dropPendingLoopRun() {
        loop.dropPendingRun();
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
        if (event.timer != null) {
            event.timer.ran(event);
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

    /** A loop timer: only its earliest pending run is kept. */
    private final class LoopTimer implements SchedulerTimer {
        private Event pending;

        @Override
        public void runAt(Instant when, Runnable task) {
            Instant at = later(when);
            if (pending != null && !pending.time.isAfter(at)) {
                return;
            }
            if (pending != null) {
                pending.cancelled = true;
            }
            pending = new Event(at, sequence++, task, this);
            events.add(pending);
        }

        void dropPendingRun() {
            if (pending != null) {
                pending.cancelled = true;
                pending = null;
            }
        }

        /** Called as {@code event} runs: the loop may ask for its next run from within it. */
        void ran(Event event) {
            if (event == pending) {
                pending = null;
            }
        }
    }

    private static final class Event implements Comparable<Event> {
        final Instant time;
        final long sequence;
        final Runnable task;
        /** The loop timer that asked for this run, or null for an independent event. */
        final LoopTimer timer;
        boolean cancelled;

        Event(Instant time, long sequence, Runnable task, LoopTimer timer) {
            this.time = time;
            this.sequence = sequence;
            this.task = task;
            this.timer = timer;
        }

        @Override
        public int compareTo(Event other) {
            int byTime = time.compareTo(other.time);
            return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
        }
    }
}
