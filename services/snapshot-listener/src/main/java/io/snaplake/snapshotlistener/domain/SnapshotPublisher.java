package io.snaplake.snapshotlistener.domain;

import io.snaplake.events.SnapshotCreated;

/** Writes SnapshotCreated events where the pipeline reads them. */
public interface SnapshotPublisher {

    /**
     * Returns only once the event is durably written (acknowledged by the broker).
     *
     * @throws RuntimeException when it was not, so that the caller keeps its input for another attempt
     */
    void publish(SnapshotCreated event);
}
