package io.snaplake.pipeline;

import io.snaplake.events.SnapshotRef;

/** Record keys: one cluster's events share a key, so they stay in order on one partition. */
public final class SnapshotKeys {

    private SnapshotKeys() {
    }

    public static String recordKey(SnapshotRef snapshot) {
        return snapshot.getAccountId() + ":" + snapshot.getClusterId();
    }
}
