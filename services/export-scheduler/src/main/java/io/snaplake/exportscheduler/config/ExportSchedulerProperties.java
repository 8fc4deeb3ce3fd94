package io.snaplake.exportscheduler.config;

import io.snaplake.exportscheduler.domain.ExportSettings;
import io.snaplake.exportscheduler.domain.ExportSettingsByCluster;
import io.snaplake.exportscheduler.domain.SchedulerSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * export-scheduler's settings ({@code snaplake.export-scheduler.*}), checked at start-up; the scheduler gets
 * them as {@link SchedulerSettings} and {@link ExportSettingsByCluster}.
 *
 * @param maxConcurrentExports the account's limit of exports in progress (AWS: 5 per account and region)
 * @param pollInterval         how often an export is polled while snapshots wait for a slot, and the
 *                             first interval otherwise
 * @param maxPollInterval      polling backs off up to this while nothing waits (exports last hours)
 * @param pollBackoffMultiplier growth of the polling interval while nothing waits
 * @param retryInitialBackoff  first wait after throttling, a 5xx or a network error
 * @param retryMaxBackoff      longest wait between such retries
 * @param defaults             export settings of every cluster unless overridden
 * @param clusters             per-cluster overrides, by cluster identifier
 */
@ConfigurationProperties("snaplake.export-scheduler")
public record ExportSchedulerProperties(
        @DefaultValue("5") int maxConcurrentExports,
        @DefaultValue("30s") Duration pollInterval,
        @DefaultValue("5m") Duration maxPollInterval,
        @DefaultValue("2.0") double pollBackoffMultiplier,
        @DefaultValue("5s") Duration retryInitialBackoff,
        @DefaultValue("5m") Duration retryMaxBackoff,
        ExportSettings defaults,
        Map<String, ExportSettings> clusters) {

    public ExportSchedulerProperties {
        defaults = defaults == null ? new ExportSettings(null, null, null, null, null) : defaults;
        clusters = clusters == null ? Map.of() : Map.copyOf(clusters);
        List<String> problems = new ArrayList<>();
        if (maxConcurrentExports < 1) {
            problems.add("max-concurrent-exports must be at least 1, got " + maxConcurrentExports);
        }
        if (pollInterval == null || pollInterval.isNegative() || pollInterval.isZero()) {
            problems.add("poll-interval must be positive, got " + pollInterval);
        }
        if (maxPollInterval == null || pollInterval != null && maxPollInterval.compareTo(pollInterval) < 0) {
            problems.add("max-poll-interval must be at least poll-interval, got " + maxPollInterval);
        }
        if (pollBackoffMultiplier < 1.0) {
            problems.add("poll-backoff-multiplier must be at least 1.0, got " + pollBackoffMultiplier);
        }
        if (retryInitialBackoff == null || retryInitialBackoff.isNegative() || retryInitialBackoff.isZero()
                || retryMaxBackoff == null || retryMaxBackoff.compareTo(retryInitialBackoff) < 0) {
            problems.add("retry-initial-backoff must be positive and at most retry-max-backoff, got "
                    + retryInitialBackoff + " and " + retryMaxBackoff);
        }
        if (clusters.isEmpty() && !defaults.missing().isEmpty()) {
            problems.add("defaults." + String.join(", defaults.", defaults.missing())
                    + " must be set (SNAPLAKE_EXPORTSCHEDULER_DEFAULTS_BUCKET, SNAPLAKE_EXPORTSCHEDULER_DEFAULTS_KMSKEYID,"
                    + " SNAPLAKE_EXPORTSCHEDULER_DEFAULTS_IAMROLEARN)"
                    + " unless every cluster is configured under snaplake.export-scheduler.clusters");
        }
        for (Map.Entry<String, ExportSettings> cluster : clusters.entrySet()) {
            List<String> missing = cluster.getValue().orElse(defaults).missing();
            if (!missing.isEmpty()) {
                problems.add("clusters." + cluster.getKey() + " has no " + String.join(", ", missing)
                        + " and no default for it");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Invalid snaplake.export-scheduler settings:\n  - "
                    + String.join("\n  - ", problems));
        }
    }

    /** @param stateRetention how long ended exports' states are kept ({@link ExportStateProperties#retention()}) */
    public SchedulerSettings settings(Duration stateRetention) {
        return new SchedulerSettings(maxConcurrentExports, pollInterval, maxPollInterval, pollBackoffMultiplier,
                SchedulerSettings.retry(retryInitialBackoff, retryMaxBackoff), stateRetention);
    }

    public ExportSettingsByCluster exports() {
        return new ExportSettingsByCluster(defaults, clusters);
    }
}
