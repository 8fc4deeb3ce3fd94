package io.snaplake.snapshotlistener.domain;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The snapshots already announced, by ARN, with the id of the SnapshotCreated event that announced
 * them. Filled from the SnapshotCreated topic itself (every replica reads all of it, so emissions of
 * other replicas and of earlier runs count) and by this process's own emissions.
 */
public final class EmittedSnapshots {

    private final Map<String, String> eventIdsByArn = new ConcurrentHashMap<>();
    private volatile boolean caughtUp;

    /** Records an emission; the first event id for an ARN is the one that counts. */
    public void remember(String snapshotArn, String eventId) {
        eventIdsByArn.putIfAbsent(snapshotArn, eventId);
    }

    public Optional<String> eventIdOf(String snapshotArn) {
        return Optional.ofNullable(eventIdsByArn.get(snapshotArn));
    }

    /** Called once the topic was read up to the end it had at start-up. */
    public void markCaughtUp() {
        caughtUp = true;
    }

    /** Called when the topic can no longer be followed: emitting now could repeat another replica's event. */
    public void markOutOfDate() {
        caughtUp = false;
    }

    public boolean isCaughtUp() {
        return caughtUp;
    }

    public int size() {
        return eventIdsByArn.size();
    }
}
