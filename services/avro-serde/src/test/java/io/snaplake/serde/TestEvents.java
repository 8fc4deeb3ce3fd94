package io.snaplake.serde;

import io.snaplake.events.DiscoverySource;
import io.snaplake.events.EventMetadata;
import io.snaplake.events.SnapshotCreated;
import io.snaplake.events.SnapshotRef;
import io.snaplake.events.SnapshotSourceType;
import java.time.Instant;
import java.time.LocalDate;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;

/** Test data: the project's real generated events, with fixed values. */
final class TestEvents {

    static final Instant OCCURRED_AT = Instant.parse("2026-11-20T03:15:00Z");
    static final LocalDate SNAPSHOT_DATE = LocalDate.parse("2026-11-20");
    static final Instant SNAPSHOT_CREATED_AT = Instant.parse("2026-11-20T03:10:42Z");

    private TestEvents() {
    }

    static SnapshotCreated snapshotCreated() {
        return snapshotCreated("orders");
    }

    static SnapshotCreated snapshotCreated(String clusterId) {
        return SnapshotCreated.newBuilder()
                .setMetadata(EventMetadata.newBuilder()
                        .setEventId("evt-" + clusterId)
                        .setRunId("run-" + clusterId)
                        .setOccurredAt(OCCURRED_AT)
                        .setProducer("snapshot-listener")
                        .setReplayOf(null)
                        .build())
                .setSnapshot(SnapshotRef.newBuilder()
                        .setAccountId("123456789012")
                        .setRegion("eu-west-1")
                        .setSourceType(SnapshotSourceType.CLUSTER)
                        .setClusterId(clusterId)
                        .setSnapshotId("rds:" + clusterId + "-2026-11-20-03-10")
                        .setSnapshotArn("arn:aws:rds:eu-west-1:123456789012:cluster-snapshot:rds:" + clusterId + "-2026-11-20-03-10")
                        .setSnapshotDate(SNAPSHOT_DATE)
                        .setSnapshotCreatedAt(SNAPSHOT_CREATED_AT)
                        .build())
                .setDiscoveredBy(DiscoverySource.EVENT)
                .setForceExport(false)
                .build();
    }

    /** {@link #snapshotCreated()} as a GenericRecord: logical types as their raw Avro values. */
    static GenericRecord snapshotCreatedGeneric() {
        Schema schema = SnapshotCreated.getClassSchema();
        Schema metadataSchema = schema.getField("metadata").schema();
        Schema snapshotSchema = schema.getField("snapshot").schema();
        return new GenericRecordBuilder(schema)
                .set("metadata", new GenericRecordBuilder(metadataSchema)
                        .set("eventId", "evt-orders")
                        .set("runId", "run-orders")
                        .set("occurredAt", OCCURRED_AT.toEpochMilli())
                        .set("producer", "snapshot-listener")
                        .set("replayOf", null)
                        .build())
                .set("snapshot", new GenericRecordBuilder(snapshotSchema)
                        .set("accountId", "123456789012")
                        .set("region", "eu-west-1")
                        .set("sourceType", new GenericData.EnumSymbol(snapshotSchema.getField("sourceType").schema(), "CLUSTER"))
                        .set("clusterId", "orders")
                        .set("snapshotId", "rds:orders-2026-11-20-03-10")
                        .set("snapshotArn", "arn:aws:rds:eu-west-1:123456789012:cluster-snapshot:rds:orders-2026-11-20-03-10")
                        .set("snapshotDate", (int) SNAPSHOT_DATE.toEpochDay())
                        .set("snapshotCreatedAt", SNAPSHOT_CREATED_AT.toEpochMilli())
                        .build())
                .set("discoveredBy", new GenericData.EnumSymbol(schema.getField("discoveredBy").schema(), "EVENT"))
                .set("forceExport", false)
                .build();
    }
}
