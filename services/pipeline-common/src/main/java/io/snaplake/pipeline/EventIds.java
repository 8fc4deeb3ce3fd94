package io.snaplake.pipeline;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Deterministic ids: the same inputs always give the same id, so that an event produced twice (a
 * redelivery, a restart, the same snapshot seen by an event and by a sweep) carries one id and can be
 * recognised as a repeat downstream.
 */
public final class EventIds {

    private EventIds() {
    }

    /** A name-based UUID of the parts, in order; parts are separated so that ("ab","c") differs from ("a","bc"). */
    public static String of(String... parts) {
        return UUID.nameUUIDFromBytes(String.join("\u001f", parts).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** The run id of a snapshot's journey: the same for every event about that snapshot. */
    public static String runId(String snapshotArn) {
        return of("run", snapshotArn);
    }
}
