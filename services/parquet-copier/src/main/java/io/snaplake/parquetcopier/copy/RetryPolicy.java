package io.snaplake.parquetcopier.copy;

import java.time.Duration;

/**
 * How a throttled or transiently failed request is retried: up to {@code maxAttempts} attempts, waiting
 * between them an exponentially growing backoff capped at {@code maxBackoff}, with jitter (a random
 * wait between half and all of it) so that many copies throttled together do not retry together.
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

    /** The upper bound of the wait before attempt {@code attempt + 1}, after {@code attempt} failures (1-based). */
    Duration backoffCap(int attempt) {
        long millis = initialBackoff.toMillis() << Math.min(attempt - 1, 30);
        return Duration.ofMillis(Math.min(millis < 0 ? Long.MAX_VALUE : millis, maxBackoff.toMillis()));
    }
}
