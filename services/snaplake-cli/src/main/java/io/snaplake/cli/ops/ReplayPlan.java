package io.snaplake.cli.ops;

import io.snaplake.events.EventMetadata;
import io.snaplake.events.SnapshotCreated;
import io.snaplake.pipeline.EventIds;
import io.snaplake.pipeline.SnapshotKeys;
import io.snaplake.pipeline.Stage;
import io.snaplake.pipeline.Topic;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * What a replay re-publishes: for each snapshot of the day, its latest event on the stage's input topic,
 * copied with new metadata (a new event id, the same run id, {@code replayOf} = the original's id, the CLI
 * as producer). A replay of a replay points at the first original, so that every replay of one event
 * names the same event and the stages derive their replayed outputs' {@code replayOf} from it.
 */
public record ReplayPlan(Stage from, Topic topic, List<Item> items) {

    public static final String PRODUCER = "snaplake-cli";

    /** One event to re-publish: the original as read, the replay to write, and its record key. */
    public record Item(DayEvent original, String key, SpecificRecord replay) {

        public EventMetadata replayMetadata() {
            return (EventMetadata) replay.get(replay.getSchema().getField("metadata").pos());
        }
    }

    /**
     * @param replayId     one id per replay invocation: replaying the same day twice gives new event ids
     * @param forceExport  sets {@code forceExport} on a replayed SnapshotCreated (and clears it otherwise,
     *                     so a replay never asks for a second export by accident)
     */
    public static ReplayPlan of(Stage from, List<DayEvent> dayEvents, String replayId, boolean forceExport, Instant now) {
        Topic topic = Flow.inputOf(from).orElseThrow(() -> new IllegalArgumentException(
                from.serviceName() + " has no input topic to replay from: it is fed from outside Kafka"
                        + " (use ./snaplake request-snapshot for one snapshot)"));
        if (forceExport && topic.valueType() != SnapshotCreated.class) {
            throw new IllegalArgumentException("--force-export applies to a replay from " + Stage.EXPORT_SCHEDULER.serviceName()
                    + " (SnapshotCreated), not from " + from.serviceName());
        }
        Map<String, DayEvent> latest = new LinkedHashMap<>();
        dayEvents.stream()
                .filter(event -> event.topic() == topic)
                .sorted(Comparator.comparing(DayEvent::at))
                .forEach(event -> latest.put(event.snapshot().getSnapshotArn(), event));
        List<Item> items = new ArrayList<>();
        for (DayEvent original : latest.values()) {
            SpecificRecord replay = SpecificData.get().deepCopy(original.event().getSchema(), original.event());
            EventMetadata metadata = original.metadata();
            String root = metadata.getReplayOf() != null ? metadata.getReplayOf() : metadata.getEventId();
            replay.put(replay.getSchema().getField("metadata").pos(), EventMetadata.newBuilder()
                    .setEventId(EventIds.of(root, "replay", replayId))
                    .setRunId(metadata.getRunId())
                    .setOccurredAt(now)
                    .setProducer(PRODUCER)
                    .setReplayOf(root)
                    .build());
            if (replay instanceof SnapshotCreated created) {
                created.setForceExport(forceExport);
            }
            items.add(new Item(original, SnapshotKeys.recordKey(original.snapshot()), replay));
        }
        items.sort(Comparator.comparing(item -> item.original().snapshot().getClusterId()));
        return new ReplayPlan(from, topic, List.copyOf(items));
    }
}
