package io.snaplake.parquetcopier;

import java.time.Duration;
import org.springframework.core.env.Environment;

/**
 * The copier handles one ExportCompleted per poll (max.poll.records=1) on the consumer thread. Kafka's
 * heartbeat thread keeps the member alive meanwhile, but if the handler runs longer than
 * max.poll.interval.ms the member is expelled and the partition rebalanced mid-copy. The handler stops
 * starting copies after copy-timeout, and the binder may run it max-attempts times, so start-up
 * refuses a configuration where {@code max-attempts x copy-timeout} (plus a margin for the final
 * verification listing) does not fit in max.poll.interval.ms.
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
                    + "SNAPLAKE_COPIER_MAX_POLL_INTERVAL_MS or lower SNAPLAKE_COPIER_COPY_TIMEOUT.")
                    .formatted(properties.copyTimeout(), MARGIN, maxAttempts, needed, maxPollIntervalMs, MAX_POLL_INTERVAL));
        }
    }
}
