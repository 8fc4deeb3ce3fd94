package io.snaplake.snapshotlistener.domain;

import io.snaplake.events.SnapshotSourceType;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * A snapshot the listener learned of, from an event, the sweep or a manual request.
 *
 * @param sourceId  the DB cluster identifier (for an instance snapshot: the DB instance identifier)
 * @param createdAt the snapshot's creation time when the source says it; null for events, whose Date is
 *                  when RDS finished the snapshot, not when it was taken
 * @param allocatedStorageGb the snapshot's allocated storage (GiB) as RDS describes it; null when unknown.
 *                  The export scheduler predicts a cluster's first export from it.
 */
public record RdsSnapshot(SnapshotArn arn, String sourceId, LocalDate snapshotDate, Instant createdAt, Integer allocatedStorageGb) {

    public RdsSnapshot {
        // RDS leaves the field out for some engines; zero says no more.
        allocatedStorageGb = allocatedStorageGb == null || allocatedStorageGb <= 0 ? null : allocatedStorageGb;
    }

    /** A snapshot whose size is not known (an event carries none). */
    public RdsSnapshot(SnapshotArn arn, String sourceId, LocalDate snapshotDate, Instant createdAt) {
        this(arn, sourceId, snapshotDate, createdAt, null);
    }

    /**
     * A snapshot described by RDS. The date is the one in an automated snapshot's identifier; a manual
     * snapshot (requested by hand) has none, so its UTC creation day stands in.
     */
    public static RdsSnapshot described(String snapshotArn, String sourceId, Instant createdAt) {
        return described(snapshotArn, sourceId, createdAt, null);
    }

    /** A snapshot described by RDS, with its allocated storage (GiB; null or 0: unknown). */
    public static RdsSnapshot described(String snapshotArn, String sourceId, Instant createdAt, Integer allocatedStorageGb) {
        SnapshotArn arn = SnapshotArn.parse(snapshotArn)
                .orElseThrow(() -> new IllegalArgumentException("not an RDS snapshot ARN: " + snapshotArn));
        LocalDate date = AutomatedSnapshotId.parse(arn.snapshotId())
                .map(AutomatedSnapshotId::snapshotDate)
                .orElseGet(() -> createdAt == null ? null : LocalDate.ofInstant(createdAt, ZoneOffset.UTC));
        if (date == null) {
            throw new IllegalArgumentException("snapshot " + snapshotArn + " has neither an automated identifier nor a creation time");
        }
        // Events carry times to the millisecond; keeping more would make a read-back event differ.
        return new RdsSnapshot(arn, sourceId, date, createdAt == null ? null : createdAt.truncatedTo(ChronoUnit.MILLIS),
                allocatedStorageGb);
    }

    /** This snapshot with the size RDS gave for it. */
    public RdsSnapshot withAllocatedStorageGb(Integer sizeGb) {
        return new RdsSnapshot(arn, sourceId, snapshotDate, createdAt, sizeGb);
    }

    public SnapshotSourceType sourceType() {
        return arn.sourceType();
    }

    public String snapshotArn() {
        return arn.arn();
    }

    public String snapshotId() {
        return arn.snapshotId();
    }
}
