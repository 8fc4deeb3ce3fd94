package io.snaplake.cli.ops;

import io.snaplake.events.EventMetadata;
import io.snaplake.events.SnapshotRef;
import io.snaplake.pipeline.Topic;
import java.time.Instant;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/** One pipeline event read from a topic, with where it was read. */
public record DayEvent(Topic topic, int partition, long offset, String key, SpecificRecord event) {

    /** The snapshot the event names; null only for a failure that could not name one. */
    public SnapshotRef snapshot() {
        return snapshotOf(event);
    }

    public EventMetadata metadata() {
        return (EventMetadata) event.get(event.getSchema().getField("metadata").pos());
    }

    /** When the producer emitted it. */
    public Instant at() {
        return metadata().getOccurredAt();
    }

    public boolean isReplay() {
        return metadata().getReplayOf() != null;
    }

    static SnapshotRef snapshotOf(SpecificRecord event) {
        Schema.Field field = event.getSchema().getField("snapshot");
        return field == null ? null : (SnapshotRef) event.get(field.pos());
    }
}
