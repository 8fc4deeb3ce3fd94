package io.snaplake.snapshotlistener;

import io.snaplake.events.DiscoverySource;
import io.snaplake.events.EventMetadata;
import io.snaplake.events.SnapshotCreated;
import io.snaplake.events.SnapshotRef;
import io.snaplake.events.SnapshotSourceType;
import io.snaplake.pipeline.EventIds;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

/**
 * Test data: the SnapshotCreated events the listener is expected to write, written out field by field from
 * literal values (never from the listener's own mapping), for the unit and the application tests alike.
 */
public final class ExpectedEvents {

    public static final String ACCOUNT = "123456789012";
    public static final String REGION = "us-east-1";
    /** When the tests started: where the running listener's clock stands still, and an expected event's occurredAt. */
    public static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    private ExpectedEvents() {
    }

    public static String clusterSnapshotArn(String snapshotId) {
        return "arn:aws:rds:" + REGION + ":" + ACCOUNT + ":cluster-snapshot:" + snapshotId;
    }

    public static String instanceSnapshotArn(String snapshotId) {
        return "arn:aws:rds:" + REGION + ":" + ACCOUNT + ":snapshot:" + snapshotId;
    }

    /**
     * The event for a cluster snapshot, found by its RDS event, written at {@link #NOW}, size unknown: set on the
     * builder what differs (discoveredBy, allocatedStorageGb).
     *
     * @param createdAt the creation time RDS describes (to the millisecond); null for a snapshot found by its event
     */
    public static SnapshotCreated.Builder clusterSnapshotCreated(String cluster, String snapshotId, LocalDate snapshotDate,
            Instant createdAt) {
        return snapshotCreated(SnapshotSourceType.CLUSTER, cluster, snapshotId, snapshotDate, createdAt);
    }

    /** As {@link #clusterSnapshotCreated}, for an instance snapshot. */
    public static SnapshotCreated.Builder instanceSnapshotCreated(String instance, String snapshotId, LocalDate snapshotDate,
            Instant createdAt) {
        return snapshotCreated(SnapshotSourceType.INSTANCE, instance, snapshotId, snapshotDate, createdAt);
    }

    private static SnapshotCreated.Builder snapshotCreated(SnapshotSourceType type, String sourceId, String snapshotId,
            LocalDate snapshotDate, Instant createdAt) {
        String arn = type == SnapshotSourceType.CLUSTER ? clusterSnapshotArn(snapshotId) : instanceSnapshotArn(snapshotId);
        return SnapshotCreated.newBuilder()
                .setMetadata(EventMetadata.newBuilder()
                        .setEventId(EventIds.of("SnapshotCreated", arn))
                        .setRunId(EventIds.runId(arn))
                        .setOccurredAt(NOW)
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
                .setDiscoveredBy(DiscoverySource.EVENT)
                .setForceExport(false)
                .setAllocatedStorageGb(null);
    }
}
