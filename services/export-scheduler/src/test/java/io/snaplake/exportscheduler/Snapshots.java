package io.snaplake.exportscheduler;

import io.snaplake.events.DiscoverySource;
import io.snaplake.events.EventMetadata;
import io.snaplake.events.SnapshotCreated;
import io.snaplake.events.SnapshotRef;
import io.snaplake.events.SnapshotSourceType;
import io.snaplake.pipeline.EventIds;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Test data: automated cluster snapshots and the SnapshotCreated events about them. */
public final class Snapshots {

    public static final String ACCOUNT = "123456789012";
    public static final String REGION = "us-east-1";
    public static final Instant DAY = Instant.parse("2026-11-20T00:00:00Z");

    private Snapshots() {
    }

    /** The automated snapshot of {@code cluster} taken at {@code createdAt}. */
    public static SnapshotRef snapshot(String cluster, Instant createdAt) {
        String snapshotId = "rds:" + cluster + "-" + DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm").withZone(ZoneOffset.UTC).format(createdAt);
        return SnapshotRef.newBuilder()
                .setAccountId(ACCOUNT)
                .setRegion(REGION)
                .setSourceType(SnapshotSourceType.CLUSTER)
                .setClusterId(cluster)
                .setSnapshotId(snapshotId)
                .setSnapshotArn("arn:aws:rds:" + REGION + ":" + ACCOUNT + ":cluster-snapshot:" + snapshotId)
                .setSnapshotDate(LocalDate.ofInstant(createdAt, ZoneOffset.UTC))
                .setSnapshotCreatedAt(createdAt)
                .build();
    }

    public static SnapshotCreated created(SnapshotRef snapshot) {
        return SnapshotCreated.newBuilder()
                .setMetadata(EventMetadata.newBuilder()
                        .setEventId(EventIds.of("SnapshotCreated", snapshot.getSnapshotArn()))
                        .setRunId(EventIds.runId(snapshot.getSnapshotArn()))
                        .setOccurredAt(snapshot.getSnapshotCreatedAt())
                        .setProducer("snapshot-listener")
                        .build())
                .setSnapshot(snapshot)
                .setDiscoveredBy(DiscoverySource.EVENT)
                .setForceExport(false)
                .build();
    }

    public static SnapshotCreated created(String cluster, Instant createdAt) {
        return created(snapshot(cluster, createdAt));
    }

    /** A replay of {@code original}, as the replay command publishes it. */
    public static SnapshotCreated replayOf(SnapshotCreated original, String replayId, boolean forceExport) {
        EventMetadata metadata = original.getMetadata();
        return SnapshotCreated.newBuilder()
                .setMetadata(EventMetadata.newBuilder()
                        .setEventId(EventIds.of(metadata.getEventId(), "replay", replayId))
                        .setRunId(metadata.getRunId())
                        .setOccurredAt(metadata.getOccurredAt())
                        .setProducer("snaplake-cli")
                        .setReplayOf(metadata.getEventId())
                        .build())
                .setSnapshot(original.getSnapshot())
                .setDiscoveredBy(DiscoverySource.MANUAL)
                .setForceExport(forceExport)
                .build();
    }
}
