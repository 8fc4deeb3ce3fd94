package io.snaplake.pipeline;

import io.snaplake.events.EventMetadata;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Builds the metadata every event carries. A stage that reacts to an input event derives its output's
 * ids from the input's, so that handling the same input twice yields the same output event id, and a
 * replayed input yields a replayed output that points at the output it replays.
 */
public final class EventMetadataFactory {

    private final String producer;
    private final Clock clock;

    public EventMetadataFactory(String producer, Clock clock) {
        this.producer = producer;
        this.clock = clock;
    }

    /** Metadata for the first event of a snapshot's journey. */
    public EventMetadata first(String eventId, String runId) {
        return build(eventId, runId, null);
    }

    /**
     * Metadata for an event of type {@code outputType} produced in reaction to {@code input}; {@code
     * discriminator} separates several outputs of one type for the same input (e.g. a retry attempt).
     */
    public EventMetadata following(EventMetadata input, String outputType, String... discriminator) {
        String eventId = EventIds.of(concat(input.getEventId(), outputType, discriminator));
        String replayOf = input.getReplayOf() == null
                ? null
                : EventIds.of(concat(input.getReplayOf(), outputType, discriminator));
        return build(eventId, input.getRunId(), replayOf);
    }

    /** Metadata for a replay of {@code original}: a new event id, the same run, pointing at the original. */
    public EventMetadata replayOf(EventMetadata original, String replayId) {
        return build(EventIds.of(original.getEventId(), "replay", replayId), original.getRunId(), original.getEventId());
    }

    public String producer() {
        return producer;
    }

    private EventMetadata build(String eventId, String runId, String replayOf) {
        return EventMetadata.newBuilder()
                .setEventId(eventId)
                .setRunId(runId)
                .setOccurredAt(Instant.now(clock).truncatedTo(ChronoUnit.MILLIS))
                .setProducer(producer)
                .setReplayOf(replayOf)
                .build();
    }

    private static String[] concat(String first, String second, String[] rest) {
        String[] all = new String[rest.length + 2];
        all[0] = first;
        all[1] = second;
        System.arraycopy(rest, 0, all, 2, rest.length);
        return all;
    }
}
