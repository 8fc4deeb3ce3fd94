package io.snaplake.exportscheduler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Which waiting snapshot gets the next export slot ({@code snaplake.export-scheduler.scheduling.*}),
 * checked at start-up. The rules themselves are in {@link WaitingOrder}.
 *
 * @param order              {@code PRIORITY} (the rules of {@link WaitingOrder}) or {@code SNAPSHOT_TIME}
 *                           (first come, first served: oldest snapshot first)
 * @param agingStep          each time a snapshot has waited this long, its priority rises by one level, so
 *                           that no snapshot waits for ever behind newer, shorter or more important ones
 * @param urgentBeforeExpiry a snapshot whose expiry (its cluster's snapshot retention) is this close goes
 *                           before every other
 * @param defaultPriority    priority of a cluster not listed (higher goes first)
 * @param snapshotRetention  how long a cluster's automated snapshots live (its backup retention period)
 *                           unless configured per cluster; RDS deletes them after that
 * @param assumedGbPerHour   export throughput assumed for a cluster with no previous export whose snapshot
 *                           size is known (a prediction from size only)
 * @param clusters           per-cluster priority and snapshot retention, by cluster identifier
 */
@ConfigurationProperties("snaplake.export-scheduler.scheduling")
public record SchedulingPolicy(
        @DefaultValue("PRIORITY") Order order,
        @DefaultValue("6h") Duration agingStep,
        @DefaultValue("6h") Duration urgentBeforeExpiry,
        @DefaultValue("0") int defaultPriority,
        @DefaultValue("1d") Duration snapshotRetention,
        @DefaultValue("100") double assumedGbPerHour,
        Map<String, ClusterPolicy> clusters) {

    /** How waiting snapshots are ordered. */
    public enum Order {
        PRIORITY, SNAPSHOT_TIME
    }

    /**
     * @param priority          higher goes first; unset: the default priority
     * @param snapshotRetention the cluster's backup retention period; unset: the default
     */
    public record ClusterPolicy(Integer priority, Duration snapshotRetention) {
    }

    public SchedulingPolicy {
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

    /** The defaults: priority order, 6 h aging step, 6 h urgency, every cluster priority 0 and a 1-day retention. */
    public static SchedulingPolicy defaults() {
        return new SchedulingPolicy(Order.PRIORITY, Duration.ofHours(6), Duration.ofHours(6), 0, Duration.ofDays(1), 100, Map.of());
    }

    /** First come, first served (the order before priorities existed), e.g. to compare with. */
    public static SchedulingPolicy snapshotTimeOrder() {
        return new SchedulingPolicy(Order.SNAPSHOT_TIME, Duration.ofHours(6), Duration.ofHours(6), 0, Duration.ofDays(1), 100, Map.of());
    }

    /** This policy with the given per-cluster settings. */
    public SchedulingPolicy withClusters(Map<String, ClusterPolicy> perCluster) {
        return new SchedulingPolicy(order, agingStep, urgentBeforeExpiry, defaultPriority, snapshotRetention, assumedGbPerHour, perCluster);
    }

    public int priorityOf(String clusterId) {
        ClusterPolicy policy = clusters.get(clusterId);
        return policy == null || policy.priority() == null ? defaultPriority : policy.priority();
    }

    public Duration snapshotRetentionOf(String clusterId) {
        ClusterPolicy policy = clusters.get(clusterId);
        return policy == null || policy.snapshotRetention() == null ? snapshotRetention : policy.snapshotRetention();
    }
}
