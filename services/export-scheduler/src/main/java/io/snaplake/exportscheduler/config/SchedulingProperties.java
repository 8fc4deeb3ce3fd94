package io.snaplake.exportscheduler.config;

import io.snaplake.exportscheduler.domain.SchedulingPolicy;
import io.snaplake.exportscheduler.domain.SchedulingPolicy.ClusterPolicy;
import io.snaplake.exportscheduler.domain.SchedulingPolicy.Order;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Which waiting snapshot gets the next export slot ({@code snaplake.export-scheduler.scheduling.*}), checked at
 * start-up; the scheduler gets it as a {@link SchedulingPolicy}.
 *
 * @param order              PRIORITY (the scheduler's rules of priority, urgency and aging) or SNAPSHOT_TIME
 *                           (first come, first served: oldest snapshot first)
 * @param agingStep          each time a snapshot has waited this long, its priority rises by one level
 * @param urgentBeforeExpiry a snapshot whose expiry (its cluster's snapshot retention) is this close goes before every other
 * @param defaultPriority    priority of a cluster not listed (higher goes first)
 * @param snapshotRetention  the clusters' backup retention period (RDS deletes automated snapshots after it), unless set per cluster
 * @param assumedGbPerHour   export throughput assumed for a cluster with no previous export whose snapshot size is known
 * @param clusters           per-cluster priority and snapshot retention, by cluster identifier
 */
@ConfigurationProperties("snaplake.export-scheduler.scheduling")
public record SchedulingProperties(
        @DefaultValue("PRIORITY") Order order,
        @DefaultValue("6h") Duration agingStep,
        @DefaultValue("6h") Duration urgentBeforeExpiry,
        @DefaultValue("0") int defaultPriority,
        @DefaultValue("1d") Duration snapshotRetention,
        @DefaultValue("100") double assumedGbPerHour,
        Map<String, ClusterPolicy> clusters) {

    public SchedulingProperties {
        clusters = clusters == null ? Map.of() : Map.copyOf(clusters);
        List<String> problems = new ArrayList<>();
        if (order == null) {
            problems.add("order must be PRIORITY or SNAPSHOT_TIME");
        }
        if (agingStep == null || agingStep.isNegative() || agingStep.isZero()) {
            problems.add("aging-step must be positive, got " + agingStep);
        }
        if (urgentBeforeExpiry == null || urgentBeforeExpiry.isNegative()) {
            problems.add("urgent-before-expiry must not be negative, got " + urgentBeforeExpiry);
        }
        if (snapshotRetention == null || snapshotRetention.compareTo(Duration.ofHours(1)) < 0) {
            problems.add("snapshot-retention must be at least 1h (RDS keeps automated snapshots 1 to 35 days), got "
                    + snapshotRetention);
        }
        if (!(assumedGbPerHour > 0)) {
            problems.add("assumed-gb-per-hour must be positive, got " + assumedGbPerHour);
        }
        clusters.forEach((cluster, policy) -> {
            if (policy.snapshotRetention() != null && policy.snapshotRetention().compareTo(Duration.ofHours(1)) < 0) {
                problems.add("clusters." + cluster + ".snapshot-retention must be at least 1h, got " + policy.snapshotRetention());
            }
        });
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Invalid snaplake.export-scheduler.scheduling settings:\n  - "
                    + String.join("\n  - ", problems));
        }
    }

    public SchedulingPolicy policy() {
        return new SchedulingPolicy(order, agingStep, urgentBeforeExpiry, defaultPriority, snapshotRetention, assumedGbPerHour, clusters);
    }
}
