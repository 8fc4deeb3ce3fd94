package io.snaplake.exportscheduler.domain;

import io.snaplake.events.ExportTaskState;
import io.snaplake.events.ExportTaskStatus;
import java.time.Duration;
import java.time.Instant;

/** One snapshot's export as this replica drives it. Fields are guarded by the {@link ExportTracker}'s lock. */
final class TrackedExport {

    ExportTaskState state;
    final int partition;
    Instant nextCheckAt;
    Duration pollDelay;
    int failures;
    int lastProgress = -1;
    /** The warning that the snapshot may expire before a slot frees was emitted (once per replica). */
    boolean expiryWarned;

    TrackedExport(ExportTaskState state, int partition, Instant nextCheckAt, Duration pollDelay) {
        this.state = state;
        this.partition = partition;
        this.nextCheckAt = nextCheckAt;
        this.pollDelay = pollDelay;
    }

    boolean is(ExportTaskStatus status) {
        return state.getStatus() == status;
    }

    /** Polls at the base interval while a slot matters to someone, backing off otherwise. */
    void pollAgain(Instant now, SchedulerSettings settings, boolean someoneWaits) {
        if (someoneWaits) {
            pollDelay = settings.pollInterval();
        } else {
            Duration longer = Duration.ofMillis((long) (pollDelay.toMillis() * settings.pollBackoffMultiplier()));
            pollDelay = longer.compareTo(settings.maxPollInterval()) > 0 ? settings.maxPollInterval() : longer;
        }
        nextCheckAt = now.plus(pollDelay);
    }

    /** A call failed for a reason that passes (throttling, 5xx, network, expired credentials): back off, capped. */
    Duration backOff(Instant now, SchedulerSettings settings) {
        failures++;
        Duration backoff = settings.retry().backoffCap(failures);
        nextCheckAt = now.plus(backoff);
        return backoff;
    }
}
