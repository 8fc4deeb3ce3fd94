package io.snaplake.snapshotlistener.domain;

import io.snaplake.events.SnapshotSourceType;
import java.util.List;
import java.util.Optional;

/** What RDS knows about snapshots (DescribeDBClusterSnapshots, DescribeDBSnapshots). */
public interface SnapshotCatalog {

    /** Every automated snapshot of this kind (Aurora cluster or RDS instance) in the account and region, all pages. */
    List<CatalogSnapshot> automatedSnapshots(SnapshotSourceType type);

    /** The snapshot of this kind with this identifier; empty when RDS has none. */
    Optional<CatalogSnapshot> snapshot(SnapshotSourceType type, String snapshotId);

    /**
     * @param status RDS's status of the snapshot; only an {@code available} one can be exported
     */
    record CatalogSnapshot(RdsSnapshot snapshot, String status) {

        public boolean available() {
            return "available".equalsIgnoreCase(status);
        }
    }
}
