package io.snaplake.exportscheduler.domain;

import java.time.Instant;

/**
 * Runs the scheduler's loop on its own single thread: in production on a real thread, in the benchmark
 * and the unit tests in virtual time. Kept apart from the clock so that the loop never sleeps.
 */
public interface SchedulerTimer {

    /**
     * Runs {@code task} at {@code when} (at once if in the past). Only the earliest pending request is
     * kept: asking for a later time while an earlier run is pending does nothing.
     */
    void runAt(Instant when, Runnable task);
}
