package io.snaplake.snapshotlistener.domain;

/**
 * An operator's request to announce one snapshot: either its ARN, or a cluster (or instance) and a
 * snapshot identifier.
 */
public record SnapshotRequest(String snapshotArn, String clusterId, String instanceId, String snapshotId) {

    public static SnapshotRequest byArn(String snapshotArn) {
        return new SnapshotRequest(snapshotArn, null, null, null);
    }

    public static SnapshotRequest ofCluster(String clusterId, String snapshotId) {
        return new SnapshotRequest(null, clusterId, null, snapshotId);
    }

    public static SnapshotRequest ofInstance(String instanceId, String snapshotId) {
        return new SnapshotRequest(null, null, instanceId, snapshotId);
    }
}
