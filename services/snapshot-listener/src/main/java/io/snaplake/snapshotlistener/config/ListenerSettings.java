package io.snaplake.snapshotlistener.config;

import io.snaplake.snapshotlistener.domain.ConfiguredSources;
import io.snaplake.snapshotlistener.domain.SourcePatterns;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The snapshot listener's settings, {@code snaplake.listener.*}; the environment sets them by Spring's relaxed
 * binding (snaplake.listener.sources.clusters from SNAPLAKE_LISTENER_SOURCES_CLUSTERS).
 *
 * @param queue              where the RDS events arrive, and where messages that cannot be understood go
 * @param sources            the clusters and instances whose snapshots the pipeline takes
 * @param sweep              the reconciliation sweep that finds snapshots whose event was missed
 * @param historyLoadTimeout how long start-up may take to read the earlier SnapshotCreated events
 */
@ConfigurationProperties("snaplake.listener")
public record ListenerSettings(Queue queue, Sources sources, Sweep sweep, Duration historyLoadTimeout) {

    private static final String NO_QUEUE = "snaplake.listener.queue.url (SNAPLAKE_LISTENER_QUEUE_URL) or "
            + "snaplake.listener.queue.name (SNAPLAKE_LISTENER_QUEUE_NAME) must be set: the SQS queue the "
            + "EventBridge rule for RDS-EVENT-0169/0091 delivers to";

    public ListenerSettings {
        if (queue == null) {
            throw new IllegalArgumentException(NO_QUEUE);
        }
        if (sources == null) {
            sources = new Sources(List.of(), List.of());
        }
        if (sweep == null) {
            sweep = new Sweep(true, null, null, null);
        }
        historyLoadTimeout = positive(historyLoadTimeout, Duration.ofMinutes(2), "snaplake.listener.history-load-timeout");
    }

    /**
     * @param url                the URL of the SQS queue the RDS events arrive on (or set name instead)
     * @param name               that queue's name, looked up in the configured account and region when url is unset
     * @param deadLetterQueueUrl where messages that cannot be understood go, with the reason in message
     *                           attributes; when unset, the dead-letter queue of the queue's redrive policy
     * @param waitTime           SQS long-poll wait, 0 to 20 seconds
     * @param visibilityTimeout  how long a received message stays hidden from other receivers; while its
     *                           handling waits out a Kafka or registry outage it is kept hidden (extended
     *                           every third of this), so it is neither delivered again nor dead-lettered
     *                           by the queue's redrive policy. At most 12 h in all (SQS's limit).
     * @param retryInitialBackoff first wait before a message whose event could not be written is tried again
     * @param retryMaxBackoff     longest wait between such tries (they go on for as long as the outage lasts)
     */
    public record Queue(String url, String name, String deadLetterQueueUrl, Duration waitTime, Duration visibilityTimeout,
            Duration retryInitialBackoff, Duration retryMaxBackoff) {

        public Queue {
            if (blank(url) && blank(name)) {
                throw new IllegalArgumentException(NO_QUEUE);
            }
            waitTime = waitTime == null ? Duration.ofSeconds(20) : waitTime;
            if (waitTime.isNegative() || waitTime.compareTo(Duration.ofSeconds(20)) > 0) {
                throw new IllegalArgumentException("snaplake.listener.queue.wait-time must be between 0s and 20s (SQS's "
                        + "long-poll limit), got " + waitTime);
            }
            visibilityTimeout = visibilityTimeout == null ? Duration.ofMinutes(2) : visibilityTimeout;
            if (visibilityTimeout.compareTo(Duration.ofSeconds(3)) < 0 || visibilityTimeout.compareTo(Duration.ofHours(12)) > 0) {
                throw new IllegalArgumentException("snaplake.listener.queue.visibility-timeout must be between 3s and 12h "
                        + "(SQS's limit), got " + visibilityTimeout);
            }
            retryInitialBackoff = positive(retryInitialBackoff, Duration.ofSeconds(1), "snaplake.listener.queue.retry-initial-backoff");
            retryMaxBackoff = positive(retryMaxBackoff, Duration.ofSeconds(30), "snaplake.listener.queue.retry-max-backoff");
            if (retryMaxBackoff.compareTo(retryInitialBackoff) < 0) {
                throw new IllegalArgumentException("snaplake.listener.queue.retry-max-backoff must be at least "
                        + "retry-initial-backoff, got " + retryMaxBackoff + " and " + retryInitialBackoff);
            }
        }
    }

    /**
     * @param clusters Aurora cluster identifiers or prefixes ending in *, e.g. orders, billing-*
     * @param instances RDS instance identifiers or prefixes ending in *
     */
    public record Sources(List<String> clusters, List<String> instances) {

        public Sources {
            clusters = clusters == null ? List.of() : List.copyOf(clusters);
            instances = instances == null ? List.of() : List.copyOf(instances);
        }

        ConfiguredSources toDomain() {
            ConfiguredSources configured;
            try {
                configured = new ConfiguredSources(SourcePatterns.of(clusters), SourcePatterns.of(instances));
            } catch (IllegalArgumentException badPattern) {
                throw new IllegalArgumentException("snaplake.listener.sources: " + badPattern.getMessage(), badPattern);
            }
            if (configured.clusters().isEmpty() && configured.instances().isEmpty()) {
                throw new IllegalArgumentException("no sources configured: set snaplake.listener.sources.clusters "
                        + "(SNAPLAKE_LISTENER_SOURCES_CLUSTERS) and/or snaplake.listener.sources.instances "
                        + "(SNAPLAKE_LISTENER_SOURCES_INSTANCES) to comma-separated identifiers or prefixes ending in *");
            }
            return configured;
        }
    }

    /**
     * @param enabled      whether the sweep runs (once at start-up, then every interval)
     * @param interval     time between the end of one sweep and the start of the next
     * @param lookback     how far back a snapshot may have been created to be announced by the sweep
     * @param initialDelay time from start-up to the first sweep (default none): a delay lets the queued
     *                     EventBridge events announce their snapshots first, the sweep then finds only
     *                     what the events missed
     */
    public record Sweep(Boolean enabled, Duration interval, Duration lookback, Duration initialDelay) {

        public Sweep {
            enabled = enabled == null || enabled;
            interval = positive(interval, Duration.ofHours(1), "snaplake.listener.sweep.interval");
            lookback = positive(lookback, Duration.ofDays(3), "snaplake.listener.sweep.lookback");
            if (initialDelay == null) {
                initialDelay = Duration.ZERO;
            } else if (initialDelay.isNegative()) {
                throw new IllegalArgumentException("snaplake.listener.sweep.initial-delay must not be negative, got " + initialDelay);
            }
        }
    }

    private static Duration positive(Duration value, Duration fallback, String property) {
        if (value == null) {
            return fallback;
        }
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(property + " must be a positive duration, got " + value);
        }
        return value;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
