package io.snaplake.exportscheduler.domain;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The scheduler loop's own thread, apart from the Kafka consumer's, so that no consumer thread ever waits on AWS. */
public final class ExecutorSchedulerTimer implements SchedulerTimer, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ExecutorSchedulerTimer.class);
    /** After a pass fails unexpectedly (e.g. Kafka is down), the loop tries again after this. */
    private static final Duration AFTER_FAILURE = Duration.ofSeconds(30);

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "export-scheduler-loop");
        thread.setDaemon(true);
        return thread;
    });
    private final Clock clock;
    private Pending pending;
    /** When the pass now running started; null between passes. */
    private volatile Instant runningSince;

    public ExecutorSchedulerTimer(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized void runAt(Instant when, Runnable task) {
        if (executor.isShutdown() || pending != null && !pending.at.isAfter(when)) {
            return;
        }
        if (pending != null) {
            pending.cancelled = true;
        }
        Pending next = new Pending(when);
        pending = next;
        long delayMillis = Math.max(0, Duration.between(clock.instant(), when).toMillis());
        executor.schedule(() -> run(next, task), delayMillis, TimeUnit.MILLISECONDS);
    }

    private void run(Pending run, Runnable task) {
        synchronized (this) {
            if (run.cancelled) {
                return;
            }
            pending = null;
        }
        runningSince = clock.instant();
        try {
            task.run();
        } catch (RuntimeException e) {
            log.error("A pass of the export scheduler failed; next pass in {}", AFTER_FAILURE, e);
            runAt(clock.instant().plus(AFTER_FAILURE), task);
        } finally {
            runningSince = null;
        }
    }

    /**
     * Whether the loop does its work: it is not shut down, no pass has been running for longer than
     * {@code tolerance} (a call that hangs), and no pass is overdue by more than that (the thread is gone).
     *
     * @return empty while it does; else what is wrong
     */
    public java.util.Optional<String> stalled(Duration tolerance) {
        Instant now = clock.instant();
        if (executor.isShutdown()) {
            return java.util.Optional.of("the scheduler loop is shut down");
        }
        Instant since = runningSince;
        if (since != null && Duration.between(since, now).compareTo(tolerance) > 0) {
            return java.util.Optional.of("a pass of the scheduler loop has been running since " + since);
        }
        synchronized (this) {
            if (pending != null && Duration.between(pending.at, now).compareTo(tolerance) > 0) {
                return java.util.Optional.of("the scheduler loop's pass due at " + pending.at + " has not run");
            }
        }
        return java.util.Optional.empty();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    private static final class Pending {
        final Instant at;
        boolean cancelled;

        Pending(Instant at) {
            this.at = at;
        }
    }
}
