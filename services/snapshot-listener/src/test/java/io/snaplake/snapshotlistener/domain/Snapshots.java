package io.snaplake.snapshotlistener.domain;

import io.snaplake.events.DiscoverySource;
import io.snaplake.events.EventMetadata;
import io.snaplake.events.SnapshotCreated;
import io.snaplake.events.SnapshotRef;
import io.snaplake.events.SnapshotSourceType;
import io.snaplake.pipeline.EventIds;
import java.time.Instant;
import java.time.LocalDate;

/** Test data: snapshots and the SnapshotCreated events expected for them. */
public final class Snapshots {

    public static final String ACCOUNT = "123456789012";
    public static final String REGION = "us-east-1";

    private Snapshots() {
    }

    /** The automated snapshot of {@code cluster} taken on {@code date} at 03:10 UTC. */
    public static RdsSnapshot clusterSnapshot(String cluster, LocalDate date) {
        String id = "rds:" + cluster + "-" + date + "-03-10";
        String arn = "arn:aws:rds:" + REGION + ":" + ACCOUNT + ":cluster-snapshot:" + id;
        return new RdsSnapshot(new SnapshotArn(arn, REGION, ACCOUNT, SnapshotSourceType.CLUSTER, id), cluster, date, null);
    }

    /** The SnapshotCreated event the listener writes for {@code snapshot}, emitted at {@code occurredAt}. */
    public static SnapshotCreated expectedEvent(RdsSnapshot snapshot, DiscoverySource discoveredBy, Instant occurredAt) {
        String arn = snapshot.snapshotArn();
        return SnapshotCreated.newBuilder()
                .setMetadata(EventMetadata.newBuilder()
                        .setEventId(EventIds.of("SnapshotCreated", arn))
                        .setRunId(EventIds.runId(arn))
                        .setOccurredAt(occurredAt)
                        .setProducer("snapshot-listener")
                        .setReplayOf(null)
                        .build())
                .setSnapshot(SnapshotRef.newBuilder()
                        .setAccountId(snapshot.arn().accountId())
                        .setRegion(snapshot.arn().region())
                        .setSourceType(snapshot.sourceType())
                        .setClusterId(snapshot.sourceId())
                        .setSnapshotId(snapshot.snapshotId())
                        .setSnapshotArn(arn)
                        .setSnapshotDate(snapshot.snapshotDate())
                        .setSnapshotCreatedAt(snapshot.createdAt())
                        .build())
                .setDiscoveredBy(discoveredBy)
                .setForceExport(false)
                .setAllocatedStorageGb(snapshot.allocatedStorageGb())
                .build();
    }
}
