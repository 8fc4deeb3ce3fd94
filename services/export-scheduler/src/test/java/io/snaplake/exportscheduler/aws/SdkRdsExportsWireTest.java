package io.snaplake.exportscheduler.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snaplake.exportscheduler.domain.ExportStatus;
import io.snaplake.exportscheduler.domain.ExportTask;
import io.snaplake.exportscheduler.domain.RdsExportException;
import io.snaplake.exportscheduler.domain.StartExportRequest;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rds.RdsClient;

/**
 * The SDK-backed adapter against {@link RdsApiDouble}, a test double of the RDS API that answers the real
 * Query-protocol XML (moto cannot: it enforces no limit, ignores filters and completes exports at once).
 * The real SDK client parses every answer here, including the unmodeled ExportTaskLimitReachedFault.
 * SDK retries are off so that each scripted error is seen once.
 */
class SdkRdsExportsWireTest {

    private final RdsApiDouble api = new RdsApiDouble(2);
    private final RdsClient client = RdsClient.builder()
            .endpointOverride(api.endpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD).retryStrategy(b -> b.maxAttempts(1)))
            .build();
    private final SdkRdsExports rds = new SdkRdsExports(client);

    @AfterEach
    void stop() {
        client.close();
        api.close();
    }

    @Test
    void answersLimitReached_whenRdsAnswersExportTaskLimitReachedFault() {
        rds.start(request("first"));
        rds.start(request("second"));

        assertThatThrownBy(() -> rds.start(request("third")))
                .isInstanceOfSatisfying(RdsExportException.LimitReached.class, e -> {
                    assertThat(e.errorCode()).isEqualTo("ExportTaskLimitReachedFault");
                    assertThat(e.getMessage()).isEqualTo("You have reached the limit of 2 concurrent export tasks");
                });
    }

    @Test
    void countsOnlyExportsThatHoldASlot() {
        rds.start(request("first"));
        rds.start(request("second"));
        api.complete("first", 4, null);

        assertThat(rds.countInProgress()).isEqualTo(1);
    }

    @Test
    void describesAnExport_withProgressSizeAndCause() {
        rds.start(request("running"));
        rds.start(request("failing"));
        api.progress("running", 42);
        api.fail("failing", "FAILED", "S3 bucket lake-exports is not in us-east-1");
        rds.start(request("done"));
        api.complete("done", 7, "Skipped database tmp");

        assertThat(rds.find("running").orElseThrow().status()).isEqualTo(ExportStatus.STARTING);
        ExportTask running = rds.find("running").orElseThrow();
        ExportTask failing = rds.find("failing").orElseThrow();
        ExportTask done = rds.find("done").orElseThrow();

        assertThat(running.status()).isEqualTo(ExportStatus.IN_PROGRESS);
        assertThat(running.percentProgress()).isEqualTo(42);
        assertThat(failing.status()).isEqualTo(ExportStatus.FAILED);
        assertThat(failing.failureCause()).isEqualTo("S3 bucket lake-exports is not in us-east-1");
        assertThat(done.status()).isEqualTo(ExportStatus.COMPLETE);
        assertThat(done.totalExtractedDataInGb()).isEqualTo(7L);
        assertThat(done.warningMessage()).isEqualTo("Skipped database tmp");
        assertThat(rds.find("unknown")).isEmpty();
    }

    @Test
    void answersAlreadyExists_forAnExistingTaskId() {
        rds.start(request("first"));

        assertThatThrownBy(() -> rds.start(request("first"))).isInstanceOf(RdsExportException.AlreadyExists.class);
    }

    @Test
    void classifiesThrottlingAnd5xx_asTransient() {
        api.failNext("StartExportTask", 400, "Throttling", "Rate exceeded");
        api.failNext("StartExportTask", 503, "ServiceUnavailable", "Service unavailable");
        api.failNext("DescribeExportTasks", 500, "InternalFailure", "Internal failure");

        assertThatThrownBy(() -> rds.start(request("first"))).isInstanceOf(RdsExportException.Transient.class);
        assertThatThrownBy(() -> rds.start(request("first"))).isInstanceOf(RdsExportException.Transient.class);
        assertThatThrownBy(rds::countInProgress).isInstanceOf(RdsExportException.Transient.class);
    }

    @Test
    void classifiesExpiredOrRefusedCredentials_asTransient_namingTheCode() {
        for (List<String> each : List.of(List.of("400", "ExpiredToken"), List.of("400", "ExpiredTokenException"),
                List.of("403", "AccessDenied"), List.of("403", "InvalidClientTokenId"))) {
            api.failNext("StartExportTask", Integer.parseInt(each.get(0)), each.get(1), "The security token is refused");

            assertThatThrownBy(() -> rds.start(request("task")))
                    .isInstanceOfSatisfying(RdsExportException.Transient.class, e -> {
                        assertThat(e.errorCode()).isEqualTo(each.get(1));
                        assertThat(e.getMessage()).isEqualTo("credentials refused (" + each.get(1) + "): The security token is refused");
                    });
        }
        api.failNext("DescribeExportTasks", 400, "ExpiredToken", "The security token included in the request is expired");
        assertThatThrownBy(() -> rds.find("task")).isInstanceOf(RdsExportException.Transient.class);
    }

    @Test
    void classifiesSnapshotBucketRoleKeyAndExportOnlyProblems_asPermanent_withAReason() {
        List<List<String>> cases = List.of(
                List.of("DBClusterSnapshotNotFoundFault", "SNAPSHOT_NOT_FOUND"),
                List.of("DBSnapshotNotFound", "SNAPSHOT_NOT_FOUND"),
                List.of("InvalidS3BucketFault", "INVALID_S3_BUCKET"),
                List.of("IamRoleNotFound", "IAM_ROLE_PROBLEM"),
                List.of("IamRoleMissingPermissions", "IAM_ROLE_PROBLEM"),
                List.of("KMSKeyNotAccessibleFault", "KMS_KEY_PROBLEM"),
                List.of("InvalidExportOnly", "INVALID_EXPORT_ONLY"),
                List.of("InvalidExportSourceState", "SNAPSHOT_NOT_EXPORTABLE"));
        for (List<String> each : cases) {
            api.failNext("StartExportTask", 400, each.get(0), "refused: " + each.get(0));

            assertThatThrownBy(() -> rds.start(request("task")))
                    .isInstanceOfSatisfying(RdsExportException.Permanent.class, e -> {
                        assertThat(e.errorCode()).isEqualTo(each.get(0));
                        assertThat(e.reason()).isEqualTo(each.get(1));
                    });
        }
    }

    private static StartExportRequest request(String id) {
        return new StartExportRequest(id, "arn:aws:rds:us-east-1:123456789012:cluster-snapshot:rds:orders-2026-11-20-03-10",
                "lake-exports", "exports/orders/2026-11-20", "arn:aws:iam::123456789012:role/rds-export",
                "arn:aws:kms:us-east-1:123456789012:key/export", List.of("orders.public"));
    }
}
