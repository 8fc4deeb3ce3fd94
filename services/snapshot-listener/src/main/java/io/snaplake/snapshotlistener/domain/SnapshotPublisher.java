package io.snaplake.snapshotlistener.domain;

import io.snaplake.events.SnapshotCreated;

/** Writes SnapshotCreated events where the pipeline reads them, at most one per snapshot whatever the replicas. */
public interface SnapshotPublisher {

    /**
     * Writes the event unless the topic already announces its snapshot, checked while this replica alone
     * may write the snapshot's partition (so two replicas racing on one snapshot write one event). Returns
     * only once the event is durably written (acknowledged by the broker).
     *
     * @return true if the event was written, false if an earlier event (another replica's) announces the snapshot
     * @throws RuntimeException when nothing could be decided or written, so that the caller keeps its input for another attempt
     */
    boolean publishUnlessAnnounced(SnapshotCreated event);
}
