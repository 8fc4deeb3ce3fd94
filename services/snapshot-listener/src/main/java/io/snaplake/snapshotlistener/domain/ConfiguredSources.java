package io.snaplake.snapshotlistener.domain;

import io.snaplake.events.SnapshotSourceType;

/** The clusters and instances whose automated snapshots travel through the pipeline. */
public record ConfiguredSources(SourcePatterns clusters, SourcePatterns instances) {

    public boolean includes(RdsSnapshot snapshot) {
        return includes(snapshot.sourceType(), snapshot.sourceId());
    }

    public boolean includes(SnapshotSourceType type, String sourceId) {
        return type == SnapshotSourceType.CLUSTER ? clusters.matches(sourceId) : instances.matches(sourceId);
    }
}
