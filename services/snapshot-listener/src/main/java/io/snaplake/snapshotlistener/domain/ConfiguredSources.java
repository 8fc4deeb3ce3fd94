package io.snaplake.snapshotlistener.domain;

import io.snaplake.events.SnapshotSourceType;

/** The clusters and instances whose automated snapshots travel through the pipeline. */
public record ConfiguredSources(SourcePatterns clusters, SourcePatterns instances) {

    /** The configured clusters, or instances. */
    public SourcePatterns of(SnapshotSourceType type) {
        return type == SnapshotSourceType.CLUSTER ? clusters : instances;
    }

    public boolean includes(RdsSnapshot snapshot) {
        return includes(snapshot.sourceType(), snapshot.sourceId());
    }

    public boolean includes(SnapshotSourceType type, String sourceId) {
        return of(type).matches(sourceId);
    }
}
