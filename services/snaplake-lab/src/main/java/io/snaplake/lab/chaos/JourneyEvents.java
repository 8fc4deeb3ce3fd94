package io.snaplake.lab.chaos;

import io.snaplake.events.CrawlCompleted;
import io.snaplake.events.EventMetadata;
import io.snaplake.events.ExportCompleted;
import io.snaplake.events.ExportStarted;
import io.snaplake.events.ParquetCopied;
import io.snaplake.events.PipelineFailure;
import io.snaplake.events.SnapshotCreated;
import io.snaplake.events.SnapshotRef;
import io.snaplake.events.TablesShared;
import io.snaplake.lab.chaos.TopicReader.Read;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;

/**
 * The pipeline's events about the run's snapshots, as read from the topics. A stage's event counts once per
 * distinct event id: a redelivery after a kill may write an identical event again (same id, same content);
 * a second id would be a second effect.
 */
final class JourneyEvents {

    private static final List<Class<? extends SpecificRecord>> STAGE_EVENTS = List.of(SnapshotCreated.class,
            ExportStarted.class, ExportCompleted.class, ParquetCopied.class, CrawlCompleted.class, TablesShared.class);

    private final List<Read> events;
    private final Set<String> arns;

    /** {@code arns}: the run's snapshots; anything else an event names is a hostile input. */
    JourneyEvents(List<Read> events, Set<String> arns) {
        this.events = events;
        this.arns = arns;
    }

    /** Snapshots with a TablesShared on the topic so far (the run waits for all of them). */
    static Set<String> sharedArns(List<Read> records) {
        Set<String> shared = new HashSet<>();
        for (Read read : records) {
            if (read.event() instanceof TablesShared event) {
                shared.add(event.getSnapshot().getSnapshotArn());
            }
        }
        return shared;
    }

    /** Each stage's event once per snapshot: distinct event ids against records on the topic. */
    void checkOncePerStage(Findings findings) {
        StringBuilder perStage = new StringBuilder();
        for (Class<? extends SpecificRecord> type : STAGE_EVENTS) {
            Map<String, Set<String>> ids = eventIdsByArn(type);
            long records = events.stream().filter(r -> type.isInstance(r.event()) && !isHostile(r.event())
                    && arns.contains(snapshotOf(r.event()).getSnapshotArn())).count();
            long distinct = arns.stream().mapToLong(arn -> ids.getOrDefault(arn, Set.of()).size()).sum();
            perStage.append(String.format("%s %d/%d, ", type.getSimpleName(), distinct, records));
            for (String arn : arns) {
                int n = ids.getOrDefault(arn, Set.of()).size();
                if (n > 1) {
                    findings.problem(arn + ": " + n + " distinct " + type.getSimpleName() + " events, not one");
                }
            }
        }
        findings.print("  events (distinct ids/records on the topic): %s", perStage.substring(0, perStage.length() - 2));
    }

    /** One SnapshotCreated per snapshot, none for anything else. */
    void checkAnnounced(Findings findings) {
        Map<String, Set<String>> created = eventIdsByArn(SnapshotCreated.class);
        arns.stream().filter(arn -> created.getOrDefault(arn, Set.of()).isEmpty())
                .forEach(arn -> findings.problem(arn + " never announced (no SnapshotCreated)"));
        created.keySet().stream().filter(arn -> !arns.contains(arn))
                .forEach(arn -> findings.problem("acted on a hostile input: SnapshotCreated for " + arn));
    }

    /**
     * One CrawlCompleted and one TablesShared per snapshot, sharing as the policy says (two tables whole,
     * customers filtered), none for anything else; returns how many snapshots were shared.
     */
    int checkCataloguedAndShared(Findings findings) {
        Map<String, Set<String>> crawled = eventIdsByArn(CrawlCompleted.class);
        Map<String, Set<String>> sharedIds = eventIdsByArn(TablesShared.class);
        Map<String, TablesShared> lastShared = new HashMap<>();
        for (Read read : events) {
            if (read.event() instanceof TablesShared shared) {
                lastShared.put(shared.getSnapshot().getSnapshotArn(), shared);
            }
        }
        int shared = 0;
        for (String arn : arns) {
            if (crawled.getOrDefault(arn, Set.of()).isEmpty()) {
                findings.problem(arn + " never catalogued (no CrawlCompleted)");
            }
            if (!sharedIds.getOrDefault(arn, Set.of()).isEmpty()) {
                shared++;
            }
            TablesShared last = lastShared.get(arn);
            if (last != null && (last.getPublicTables().size() != 2 || last.getFilteredTables().size() != 1)) {
                findings.problem(arn + ": shared " + last.getPublicTables() + " whole and " + last.getFilteredTables().size()
                        + " filtered; the policy says two whole and customers filtered");
            }
        }
        sharedIds.keySet().stream().filter(arn -> !arns.contains(arn))
                .forEach(arn -> findings.problem("acted on a hostile input: TablesShared for " + arn));
        return shared;
    }

    /** Nothing copied from the export outside the allow-list; prints the failures the stages reported. */
    void checkOutsiderIgnored(Findings findings) {
        for (Read read : events) {
            if (read.event() instanceof ParquetCopied copied && copied.getExportTaskId().startsWith(HostileInputs.OUTSIDER_TASK_PREFIX)) {
                findings.problem("acted on a hostile input: ParquetCopied for " + copied.getExportTaskId());
            }
            if (read.event() instanceof PipelineFailure failure) {
                findings.print("  failure event on %s: %s %s: %s", read.topic(), failure.getStage(), failure.getReason(),
                        failure.getMessage());
            }
        }
    }

    private Map<String, Set<String>> eventIdsByArn(Class<? extends SpecificRecord> type) {
        Map<String, Set<String>> ids = new LinkedHashMap<>();
        for (Read read : events) {
            if (type.isInstance(read.event()) && !isHostile(read.event())) {
                ids.computeIfAbsent(snapshotOf(read.event()).getSnapshotArn(), a -> new LinkedHashSet<>())
                        .add(metadataOf(read.event()).getEventId());
            }
        }
        return ids;
    }

    /** The hostile ExportCompleted the run wrote itself (it names a real snapshot): not the pipeline's event. */
    private static boolean isHostile(SpecificRecord event) {
        return metadataOf(event).getEventId().startsWith(HostileInputs.HOSTILE_EVENT_ID_PREFIX);
    }

    private static EventMetadata metadataOf(SpecificRecord event) {
        return (EventMetadata) event.get(event.getSchema().getField("metadata").pos());
    }

    private static SnapshotRef snapshotOf(SpecificRecord event) {
        return (SnapshotRef) event.get(event.getSchema().getField("snapshot").pos());
    }
}
