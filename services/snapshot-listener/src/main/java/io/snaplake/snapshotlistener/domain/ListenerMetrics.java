package io.snaplake.snapshotlistener.domain;

import io.snaplake.events.DiscoverySource;

/** What the listener counts: messages received and what became of them, snapshots announced, sweeps run. */
public interface ListenerMetrics {

    /** Why a well-formed message was acknowledged without an event. */
    enum IgnoreReason {
        /** The snapshot's cluster or instance is not one of the configured sources. */
        SOURCE_NOT_CONFIGURED,
        /** An RDS event other than an automated snapshot's creation. */
        NOT_AN_AUTOMATED_SNAPSHOT_EVENT
    }

    void eventReceived();

    void eventIgnored(IgnoreReason reason);

    void eventRejected(Rejection.Code code);

    /** A message whose handling failed; it stays on the queue for another attempt. */
    void eventFailed();

    void snapshotEmitted(DiscoverySource discoveredBy);

    void snapshotAlreadyKnown(DiscoverySource discoveredBy);

    void sweepRun(boolean succeeded);

    void sweepFound(int snapshots);

    /** A record on the SnapshotCreated topic that could not be read. */
    void unreadableHistoryRecord();
}
