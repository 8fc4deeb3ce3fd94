package io.snaplake.snapshotlistener.domain;

/** Nothing was announced for a snapshot this time; asking again later is safe. */
public final class SnapshotNotAnnouncedException extends RuntimeException {

    public SnapshotNotAnnouncedException(String message, Throwable cause) {
        super(message, cause);
    }
}
