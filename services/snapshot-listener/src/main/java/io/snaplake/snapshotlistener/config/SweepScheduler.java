package io.snaplake.snapshotlistener.config;

import io.snaplake.snapshotlistener.domain.ReconciliationSweep;
import io.snaplake.snapshotlistener.messaging.SnapshotHistoryReader;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/** Runs the reconciliation sweep {@code initialDelay} after start-up, then again {@code interval} after each run ends. */
public final class SweepScheduler implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SweepScheduler.class);

    private final ReconciliationSweep sweep;
    private final Duration initialDelay;
    private final Duration interval;

    private volatile ScheduledExecutorService executor;

    public SweepScheduler(ReconciliationSweep sweep, Duration initialDelay, Duration interval) {
        this.sweep = sweep;
        this.initialDelay = initialDelay;
        this.interval = interval;
    }

    @Override
    public void start() {
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> new Thread(runnable, "reconciliation-sweep"));
        executor.scheduleWithFixedDelay(this::runOnce, initialDelay.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void runOnce() {
        try {
            sweep.run();
        } catch (RuntimeException failed) {
            // A scheduled task that throws is never run again; the next interval must still sweep.
            log.warn("Reconciliation sweep failed; the next one runs in {}", interval, failed);
        }
    }

    @Override
    public void stop() {
        ScheduledExecutorService current = executor;
        if (current != null) {
            current.shutdownNow();
            try {
                current.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        executor = null;
    }

    @Override
    public boolean isRunning() {
        return executor != null;
    }

    @Override
    public int getPhase() {
        return SnapshotHistoryReader.PHASE + 1;
    }
}
