package io.snaplake.snapshotlistener.aws;

import io.snaplake.events.SnapshotSourceType;
import io.snaplake.snapshotlistener.domain.RdsSnapshot;
import io.snaplake.snapshotlistener.domain.SnapshotCatalog;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBClusterSnapshot;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.rds.model.DbClusterSnapshotNotFoundException;
import software.amazon.awssdk.services.rds.model.DbSnapshotNotFoundException;

/** {@link SnapshotCatalog} on the RDS API: cluster snapshots for CLUSTER, DB (instance) snapshots for INSTANCE. */
public final class SdkSnapshotCatalog implements SnapshotCatalog {

    private static final String AUTOMATED = "automated";

    private final RdsClient rds;

    public SdkSnapshotCatalog(RdsClient rds) {
        this.rds = rds;
    }

    @Override
    public List<CatalogSnapshot> automatedSnapshots(SnapshotSourceType type) {
        return switch (type) {
            case CLUSTER -> rds.describeDBClusterSnapshotsPaginator(request -> request.snapshotType(AUTOMATED))
                    .dbClusterSnapshots().stream().map(SdkSnapshotCatalog::cluster).toList();
            case INSTANCE -> rds.describeDBSnapshotsPaginator(request -> request.snapshotType(AUTOMATED))
                    .dbSnapshots().stream().map(SdkSnapshotCatalog::instance).toList();
        };
    }

    @Override
    public Optional<CatalogSnapshot> snapshot(SnapshotSourceType type, String snapshotId) {
        try {
            return switch (type) {
                case CLUSTER -> rds.describeDBClusterSnapshots(request -> request.dbClusterSnapshotIdentifier(snapshotId))
                        .dbClusterSnapshots().stream().findFirst().map(SdkSnapshotCatalog::cluster);
                case INSTANCE -> rds.describeDBSnapshots(request -> request.dbSnapshotIdentifier(snapshotId))
                        .dbSnapshots().stream().findFirst().map(SdkSnapshotCatalog::instance);
            };
        } catch (DbClusterSnapshotNotFoundException | DbSnapshotNotFoundException notFound) {
            return Optional.empty();
        }
    }

    private static CatalogSnapshot cluster(DBClusterSnapshot snapshot) {
        return new CatalogSnapshot(RdsSnapshot.described(snapshot.dbClusterSnapshotArn(), snapshot.dbClusterIdentifier(),
                snapshot.snapshotCreateTime(), snapshot.allocatedStorage()), snapshot.status());
    }

    private static CatalogSnapshot instance(DBSnapshot snapshot) {
        return new CatalogSnapshot(RdsSnapshot.described(snapshot.dbSnapshotArn(), snapshot.dbInstanceIdentifier(),
                snapshot.snapshotCreateTime(), snapshot.allocatedStorage()), snapshot.status());
    }
}
