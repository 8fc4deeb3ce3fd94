package io.snaplake.snapshotlistener.domain;

/**
 * What asking to announce a snapshot did.
 *
 * @param eventId the id of the SnapshotCreated event that announces the snapshot, new or earlier
 */
public record EmitResult(Outcome outcome, String eventId, RdsSnapshot snapshot) {

    public enum Outcome {
        /** A SnapshotCreated event was written now. */
        EMITTED,
        /** The snapshot had been announced before (by any source, any replica, any earlier run). */
        ALREADY_KNOWN
    }
}
