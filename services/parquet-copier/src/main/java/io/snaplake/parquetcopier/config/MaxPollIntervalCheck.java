package io.snaplake.parquetcopier.config;

import java.time.Duration;
import org.springframework.core.env.Environment;

/**
 * Refuses to start unless {@code max-attempts x copy-timeout} (plus a margin for the last verification) fits
 * in the copyExport consumer's max.poll.interval.ms: a handler running longer gets the member expelled and
 * the partition rebalanced mid-copy (docs/design/parquet-copier.md, "Time bounds").
 */
final class MaxPollIntervalCheck {

    static final String MAX_POLL_INTERVAL =
            "spring.cloud.stream.kafka.bindings.copyExport-in-0.consumer.configuration.max.poll.interval.ms";
    static final String MAX_ATTEMPTS = "spring.cloud.stream.bindings.copyExport-in-0.consumer.max-attempts";
    private static final Duration MARGIN = Duration.ofMinutes(5);

    private MaxPollIntervalCheck() {
    }

    static void verify(CopierProperties properties, Environment environment) {
        long maxPollIntervalMs = environment.getProperty(MAX_POLL_INTERVAL, Long.class, 300_000L);
        int maxAttempts = environment.getProperty(MAX_ATTEMPTS, Integer.class, 3);
        Duration needed = properties.copyTimeout().plus(MARGIN).multipliedBy(maxAttempts);
        if (needed.toMillis() > maxPollIntervalMs) {
            throw new IllegalStateException(("snaplake.copier.copy-timeout %s (+%s margin) x max-attempts %d = %s does not fit in "
                    + "max.poll.interval.ms %d (%s): the consumer would be expelled mid-copy. Raise "
                    + "snaplake.copier.max-poll-interval-ms or lower snaplake.copier.copy-timeout.")
                    .formatted(properties.copyTimeout(), MARGIN, maxAttempts, needed, maxPollIntervalMs, MAX_POLL_INTERVAL));
        }
    }
}
