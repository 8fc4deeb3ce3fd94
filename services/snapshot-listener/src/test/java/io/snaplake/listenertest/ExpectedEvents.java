package io.snaplake.listenertest;

import io.snaplake.events.DiscoverySource;
import io.snaplake.events.EventMetadata;
import io.snaplake.events.SnapshotCreated;
import io.snaplake.events.SnapshotRef;
import io.snaplake.events.SnapshotSourceType;
import io.snaplake.pipeline.EventIds;
import java.time.Instant;
import java.time.LocalDate;

/** The SnapshotCreated events tests expect, written out field by field. */
public final class ExpectedEvents {

    public static final String ACCOUNT = "123456789012";
    public static final String REGION = "us-east-1";

    private ExpectedEvents() {
    }

    public static String clusterSnapshotArn(String snapshotId) {
        return "arn:aws:rds:" + REGION + ":" + ACCOUNT + ":cluster-snapshot:" + snapshotId;
    }

    public static String instanceSnapshotArn(String snapshotId) {
        return "arn:aws:rds:" + REGION + ":" + ACCOUNT + ":snapshot:" + snapshotId;
    }

    public static SnapshotCreated snapshotCreated(SnapshotSourceType type, String sourceId, String snapshotId,
            LocalDate snapshotDate, Instant createdAt, DiscoverySource discoveredBy) {
        return snapshotCreated(type, sourceId, snapshotId, snapshotDate, createdAt, discoveredBy, null);
    }

    /** @param allocatedStorageGb the snapshot's size as RDS describes it; null: not known */
    public static SnapshotCreated snapshotCreated(SnapshotSourceType type, String sourceId, String snapshotId,
            LocalDate snapshotDate, Instant createdAt, DiscoverySource discoveredBy, Integer allocatedStorageGb) {
        String arn = type == SnapshotSourceType.CLUSTER ? clusterSnapshotArn(snapshotId) : instanceSnapshotArn(snapshotId);
        return SnapshotCreated.newBuilder()
                .setMetadata(EventMetadata.newBuilder()
                        .setEventId(EventIds.of("SnapshotCreated", arn))
                        .setRunId(EventIds.runId(arn))
                        .setOccurredAt(FixedClockConfiguration.NOW)
                        .setProducer("snapshot-listener")
                        .setReplayOf(null)
                        .build())
                .setSnapshot(SnapshotRef.newBuilder()
                        .setAccountId(ACCOUNT)
                        .setRegion(REGION)
                        .setSourceType(type)
                        .setClusterId(sourceId)
                        .setSnapshotId(snapshotId)
                        .setSnapshotArn(arn)
                        .setSnapshotDate(snapshotDate)
                        .setSnapshotCreatedAt(createdAt)
                        .build())
                .setDiscoveredBy(discoveredBy)
                .setForceExport(false)
                .setAllocatedStorageGb(allocatedStorageGb)
                .build();
    }
}
