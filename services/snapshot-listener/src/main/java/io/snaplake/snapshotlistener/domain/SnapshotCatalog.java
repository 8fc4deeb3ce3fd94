package io.snaplake.snapshotlistener.domain;

import java.util.List;
import java.util.Optional;

/** What RDS knows about snapshots (DescribeDBClusterSnapshots, DescribeDBSnapshots). */
public interface SnapshotCatalog {

    /** Every automated Aurora cluster snapshot in the account and region, all pages. */
    List<CatalogSnapshot> automatedClusterSnapshots();

    /** Every automated RDS instance snapshot in the account and region, all pages. */
    List<CatalogSnapshot> automatedInstanceSnapshots();

    Optional<CatalogSnapshot> clusterSnapshot(String snapshotId);

    Optional<CatalogSnapshot> instanceSnapshot(String snapshotId);

    /**
     * @param status RDS's status of the snapshot; only an {@code available} one can be exported
     */
    record CatalogSnapshot(RdsSnapshot snapshot, String status) {

        public boolean available() {
            return "available".equalsIgnoreCase(status);
        }
    }
}
