package io.snaplake.testkit;

import io.snaplake.events.SnapshotRef;
import io.snaplake.events.SnapshotSourceType;
import java.time.LocalDate;

/** Builders of the parts every test event shares, with the values the tests' AWS account and region use. */
public final class TestEvents {

    public static final String ACCOUNT = "123456789012";
    public static final String REGION = "us-east-1";

    private TestEvents() {
    }

    /** The automated snapshot {@code rds:<cluster>-<day>-03-10} of an Aurora cluster, with its ARN; a builder to adjust. */
    public static SnapshotRef.Builder clusterSnapshot(String cluster, LocalDate day) {
        String id = "rds:" + cluster + "-" + day + "-03-10";
        return SnapshotRef.newBuilder().setAccountId(ACCOUNT).setRegion(REGION)
                .setSourceType(SnapshotSourceType.CLUSTER).setClusterId(cluster)
                .setSnapshotId(id).setSnapshotArn("arn:aws:rds:" + REGION + ":" + ACCOUNT + ":cluster-snapshot:" + id)
                .setSnapshotDate(day);
    }
}
