package io.snaplake.exportscheduler.domain;

import java.time.Duration;
import java.util.Map;

/**
 * Which waiting snapshot gets the next export slot; the rules themselves are in {@link WaitingOrder}.
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
public record SchedulingPolicy(Order order, Duration agingStep, Duration urgentBeforeExpiry, int defaultPriority,
        Duration snapshotRetention, double assumedGbPerHour, Map<String, ClusterPolicy> clusters) {

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
