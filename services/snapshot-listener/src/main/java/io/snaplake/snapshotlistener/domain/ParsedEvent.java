package io.snaplake.snapshotlistener.domain;

/** What a queue message turned out to be. */
public sealed interface ParsedEvent {

    /** An automated snapshot was created (RDS-EVENT-0169 or RDS-EVENT-0091). */
    record SnapshotCreation(RdsSnapshot snapshot) implements ParsedEvent {
    }

    /** A well-formed RDS event that is not about an automated snapshot's creation: acknowledged, not exported. */
    record Irrelevant(String eventId, String detailType) implements ParsedEvent {
    }

    /** A message the listener cannot understand: it goes to the dead-letter destination with this reason. */
    record Malformed(Rejection rejection) implements ParsedEvent {
    }
}
