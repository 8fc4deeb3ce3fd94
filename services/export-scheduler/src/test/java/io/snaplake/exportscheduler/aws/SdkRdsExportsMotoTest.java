package io.snaplake.exportscheduler.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snaplake.exportscheduler.domain.ExportStatus;
import io.snaplake.exportscheduler.domain.ExportTask;
import io.snaplake.exportscheduler.domain.RdsExportException;
import io.snaplake.exportscheduler.domain.StartExportRequest;
import io.snaplake.testkit.LocalInfra;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rds.RdsClient;

/**
 * The SDK-backed adapter against moto's RDS. moto answers status "complete" (lowercase) at once and
 * ignores DescribeExportTasks filters, which the adapter must cope with. A moto bug answers HTTP 500 to
 * StartExportTask when SourceArn is an automated snapshot's ({@code ...:cluster-snapshot:rds:...}): it
 * takes "rds" for the snapshot type. So these tests export a manual cluster snapshot, and one test pins
 * the bug down (a 500 is transient for the adapter) so that we notice when moto fixes it.
 */
class SdkRdsExportsMotoTest {

    private final RdsClient client = RdsClient.builder()
            .endpointOverride(LocalInfra.moto().endpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
            .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1)))
            .build();
    private final SdkRdsExports rds = new SdkRdsExports(client);
    private final String cluster = "orders-" + UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void startsAnExport_andSeesItComplete_thoughMotoAnswersInLowercase() {
        String snapshotArn = manualSnapshot();
        String taskId = "snaplake-" + cluster + "-1";

        ExportTask started = rds.start(request(taskId, snapshotArn));

        assertThat(started.id()).isEqualTo(taskId);
        assertThat(started.status()).isEqualTo(ExportStatus.COMPLETE);
        assertThat(rds.find(taskId)).get().extracting(ExportTask::status, ExportTask::sourceArn)
                .containsExactly(ExportStatus.COMPLETE, snapshotArn);
    }

    @Test
    void countsNoCompleteExportAsInProgress_thoughMotoIgnoresTheFilter() {
        rds.start(request("snaplake-" + cluster + "-count", manualSnapshot()));

        assertThat(rds.countInProgress()).isZero();
    }

    @Test
    void answersAlreadyExists_whenTheTaskIdIsTaken() {
        String snapshotArn = manualSnapshot();
        rds.start(request("snaplake-" + cluster + "-dup", snapshotArn));

        assertThatThrownBy(() -> rds.start(request("snaplake-" + cluster + "-dup", snapshotArn)))
                .isInstanceOf(RdsExportException.AlreadyExists.class);
    }

    @Test
    void findsNothing_forAnUnknownTaskId() {
        assertThat(rds.find("snaplake-never-started")).isEmpty();
    }

    @Test
    void reportsAMissingSnapshot_asPermanent() {
        String missing = "arn:aws:rds:us-east-1:123456789012:cluster-snapshot:missing-" + cluster;

        assertThatThrownBy(() -> rds.start(request("snaplake-" + cluster + "-missing", missing)))
                .isInstanceOfSatisfying(RdsExportException.Permanent.class,
                        e -> assertThat(e.reason()).isEqualTo("SNAPSHOT_NOT_FOUND"));
    }

    @Test
    void motoAnswers500_forAnAutomatedSnapshotArn_whichTheAdapterTreatsAsTransient() {
        createCluster();
        String automated = client.describeDBClusterSnapshots(b -> b.dbClusterIdentifier(cluster).snapshotType("automated"))
                .dbClusterSnapshots().get(0).dbClusterSnapshotArn();
        assertThat(automated).contains(":cluster-snapshot:rds:");

        assertThatThrownBy(() -> rds.start(request("snaplake-" + cluster + "-auto", automated)))
                .isInstanceOf(RdsExportException.Transient.class);
    }

    private String manualSnapshot() {
        createCluster();
        return client.createDBClusterSnapshot(b -> b.dbClusterIdentifier(cluster).dbClusterSnapshotIdentifier(cluster + "-manual"))
                .dbClusterSnapshot().dbClusterSnapshotArn();
    }

    private void createCluster() {
        client.createDBCluster(b -> b.dbClusterIdentifier(cluster).engine("aurora-postgresql")
                .masterUsername("snaplake").masterUserPassword("snaplake-password"));
    }

    private static StartExportRequest request(String taskId, String snapshotArn) {
        return new StartExportRequest(taskId, snapshotArn, "lake-exports", "exports/orders/2026-11-20",
                "arn:aws:iam::123456789012:role/rds-export", "arn:aws:kms:us-east-1:123456789012:key/export", List.of());
    }
}
