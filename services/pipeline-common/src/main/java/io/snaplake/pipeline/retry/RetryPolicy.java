package io.snaplake.pipeline.retry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How a throttled or transiently failed request is retried: up to {@code maxAttempts} attempts, waiting an
 * exponentially growing backoff capped at {@code maxBackoff}, with jitter (between half and all of it) so
 * that many requests throttled together do not retry together.
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("retry max-attempts must be >= 1, got " + maxAttempts);
        }
        if (initialBackoff == null || initialBackoff.isNegative() || maxBackoff == null || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("retry backoffs must satisfy 0 <= initial-backoff <= max-backoff, got "
                    + initialBackoff + " and " + maxBackoff);
        }
    }

    /** The wait before attempt {@code attempt + 1}, after {@code attempt} failures (1-based), jittered. */
    public Duration backoff(int attempt) {
        long cap = backoffCap(attempt).toMillis();
        return Duration.ofMillis(cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1));
    }

    /** The upper bound of the wait before attempt {@code attempt + 1}, after {@code attempt} failures (1-based). */
    public Duration backoffCap(int attempt) {
        long millis = initialBackoff.toMillis() << Math.min(attempt - 1, 30);
        return Duration.ofMillis(Math.min(millis < 0 ? Long.MAX_VALUE : millis, maxBackoff.toMillis()));
    }
}
