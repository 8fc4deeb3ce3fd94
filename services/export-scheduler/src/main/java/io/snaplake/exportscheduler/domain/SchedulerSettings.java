package io.snaplake.exportscheduler.domain;

import io.snaplake.pipeline.retry.RetryPolicy;
import java.time.Duration;

/**
 * How the scheduler paces itself (built from the service's configuration, or by a test or benchmark).
 *
 * @param maxConcurrentExports  the account's limit of exports in progress (AWS: 5 per account and region)
 * @param pollInterval          how often an export is polled while snapshots wait for a slot, and the first interval otherwise
 * @param maxPollInterval       polling backs off up to this while nothing waits
 * @param pollBackoffMultiplier growth of the polling interval while nothing waits
 * @param retry                 waits after throttling, a 5xx or a network error (doubling, capped; never given up)
 * @param stateRetention        COMPLETED and FAILED states are deleted (tombstoned) this long after they ended
 */
public record SchedulerSettings(int maxConcurrentExports, Duration pollInterval, Duration maxPollInterval,
        double pollBackoffMultiplier, RetryPolicy retry, Duration stateRetention) {

    /** 40 days: beyond RDS's longest backup retention period (35 days). */
    public static final Duration DEFAULT_STATE_RETENTION = Duration.ofDays(40);

    /** Retries of calls that failed for a passing reason, doubling from {@code initial} to {@code max}, for as long as it takes. */
    public static RetryPolicy retry(Duration initial, Duration max) {
        return new RetryPolicy(Integer.MAX_VALUE, initial, max);
    }
}
