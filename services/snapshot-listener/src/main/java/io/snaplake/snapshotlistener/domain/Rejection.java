package io.snaplake.snapshotlistener.domain;

/**
 * Why a queue message was dead-lettered.
 *
 * @param code    short machine-readable cause, used as a metric tag and a message attribute
 * @param message what is wrong with the message, for the person reading the dead-letter queue
 */
public record Rejection(Code code, String message) {

    public enum Code {
        NOT_JSON,
        NOT_AN_RDS_EVENT,
        MISSING_FIELD,
        UNRECOGNISED_IDENTIFIER,
        MALFORMED_ARN,
        INCONSISTENT_EVENT,
        /** A well-formed event for a snapshot RDS does not describe (forged, or of a cluster or snapshot that is gone). */
        SNAPSHOT_NOT_FOUND
    }
}
