package io.snaplake.pipeline.messaging;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * How a consumer waits out an outage ({@code snaplake.messaging.outage-retry.*}): the record is retried
 * after {@code initial-interval}, then at intervals growing by {@code multiplier} up to {@code max-interval},
 * for as long as the outage lasts (no attempt limit). The consumer thread waits between attempts, so
 * {@code max-interval} must stay well under the binding's {@code max.poll.interval.ms} (5 min by default).
 */
@ConfigurationProperties("snaplake.messaging.outage-retry")
public record OutageRetry(Duration initialInterval, Duration maxInterval, Double multiplier) {

    public OutageRetry {
        initialInterval = initialInterval == null ? Duration.ofSeconds(1) : initialInterval;
        maxInterval = maxInterval == null ? Duration.ofSeconds(30) : maxInterval;
        multiplier = multiplier == null ? 2.0 : multiplier;
        if (initialInterval.isNegative() || initialInterval.isZero()) {
            throw new IllegalArgumentException("snaplake.messaging.outage-retry.initial-interval must be positive, got "
                    + initialInterval);
        }
        if (maxInterval.compareTo(initialInterval) < 0) {
            throw new IllegalArgumentException("snaplake.messaging.outage-retry.max-interval (" + maxInterval
                    + ") must be at least initial-interval (" + initialInterval + ")");
        }
        if (maxInterval.compareTo(Duration.ofMinutes(4)) > 0) {
            throw new IllegalArgumentException("snaplake.messaging.outage-retry.max-interval (" + maxInterval
                    + ") must stay under 4 minutes: the consumer waits on its own thread, and Kafka's default "
                    + "max.poll.interval.ms (5 min) would evict it from its group");
        }
        if (multiplier < 1.0) {
            throw new IllegalArgumentException("snaplake.messaging.outage-retry.multiplier must be >= 1, got " + multiplier);
        }
    }

    public static OutageRetry defaults() {
        return new OutageRetry(null, null, null);
    }

    /** A fresh back-off with no end: one per failing record, as the error handler asks. */
    public BackOff backOff() {
        ExponentialBackOff backOff = new ExponentialBackOff(initialInterval.toMillis(), multiplier);
        backOff.setMaxInterval(maxInterval.toMillis());
        backOff.setMaxElapsedTime(Long.MAX_VALUE);
        backOff.setMaxAttempts(Long.MAX_VALUE);
        return backOff;
    }
}
