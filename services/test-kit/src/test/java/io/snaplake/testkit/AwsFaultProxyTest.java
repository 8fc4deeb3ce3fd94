package io.snaplake.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.snaplake.testkit.AwsFaultProxy.FaultPlan;
import io.snaplake.testkit.AwsFaultProxy.Forwarded;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

class AwsFaultProxyTest {

    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));

    private final MotoServer moto = LocalInfra.moto();
    private AwsFaultProxy proxy;

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        moto.reset();
    }

    @Test
    void answersEachFault_inTheQueryProtocolsErrorFormat_asRdsClientsRecogniseIt() {
        proxy = AwsFaultProxy.start(moto.endpoint(), new FaultPlan(1.0, 7, 0));
        try (RdsClient rds = RdsClient.builder().endpointOverride(proxy.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(CREDENTIALS).overrideConfiguration(c -> c.retryPolicy(RetryPolicy.none())).build()) {
            Map<Integer, String> codeByStatus = new HashMap<>();
            for (int i = 0; i < 40; i++) {
                AwsServiceException error = catchThrowableOfType(AwsServiceException.class, rds::describeDBClusters);
                codeByStatus.put(error.statusCode(), error.awsErrorDetails().errorCode());
                if (error.statusCode() == 400) {
                    assertThat(error.isThrottlingException()).isTrue();
                }
            }
            assertThat(codeByStatus).containsExactlyInAnyOrderEntriesOf(Map.of(
                    400, "Throttling", 429, "Throttling", 500, "InternalFailure", 503, "ServiceUnavailable"));
        }
        assertThat(proxy.forwarded()).isEmpty();
    }

    @Test
    void answersEachFault_inTheJsonProtocolsErrorFormat_asSqsClientsRecogniseIt() {
        proxy = AwsFaultProxy.start(moto.endpoint(), new FaultPlan(1.0, 7, 0));
        try (SqsClient sqs = SqsClient.builder().endpointOverride(proxy.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(CREDENTIALS).overrideConfiguration(c -> c.retryPolicy(RetryPolicy.none())).build()) {
            Map<Integer, String> codeByStatus = new HashMap<>();
            for (int i = 0; i < 40; i++) {
                AwsServiceException error = catchThrowableOfType(AwsServiceException.class, sqs::listQueues);
                codeByStatus.put(error.statusCode(), error.awsErrorDetails().errorCode());
                if (error.statusCode() == 400 || error.statusCode() == 429) {
                    assertThat(error.isThrottlingException()).isTrue();
                }
            }
            assertThat(codeByStatus).containsExactlyInAnyOrderEntriesOf(Map.of(
                    400, "ThrottlingException", 429, "TooManyRequestsException",
                    500, "InternalServerException", 503, "ServiceUnavailableException"));
        }
    }

    @Test
    void answersS3_withSlowDownAndInternalError() {
        proxy = AwsFaultProxy.start(moto.endpoint(), new FaultPlan(1.0, 7, 0));
        try (S3Client s3 = s3(proxy.endpoint(), RetryPolicy.none())) {
            Map<Integer, String> codeByStatus = new HashMap<>();
            for (int i = 0; i < 20; i++) {
                AwsServiceException error = catchThrowableOfType(AwsServiceException.class, s3::listBuckets);
                codeByStatus.put(error.statusCode(), error.awsErrorDetails().errorCode());
            }
            assertThat(codeByStatus).containsExactlyInAnyOrderEntriesOf(Map.of(503, "SlowDown", 500, "InternalError"));
        }
    }

    @Test
    void sdkClientsRetryThroughFaults_atThirtyPercent() {
        proxy = AwsFaultProxy.start(moto.endpoint(), new FaultPlan(0.3, 42, 0.2));
        String bucket = "fault-proxy-" + UUID.randomUUID();
        try (S3Client s3 = s3(proxy.endpoint(), RetryPolicy.builder().numRetries(10).build())) {
            s3.createBucket(b -> b.bucket(bucket));
            for (int i = 0; i < 30; i++) {
                int n = i;
                s3.putObject(p -> p.bucket(bucket).key("k" + n), RequestBody.fromString("value " + n));
            }
            for (int i = 0; i < 30; i++) {
                int n = i;
                assertThat(s3.getObjectAsBytes(g -> g.bucket(bucket).key("k" + n)).asUtf8String()).isEqualTo("value " + n);
            }
        }
        long before = proxy.faultsBeforeForwarding().values().stream().mapToLong(Long::longValue).sum();
        assertThat(before).isPositive();
        assertThat(proxy.faultsAfterForwarding()).isPositive();
    }

    @Test
    void faultAfterForwarding_letsTheRequestTakeEffect_andRecordsIt() {
        proxy = AwsFaultProxy.start(moto.endpoint(), new FaultPlan(1.0, 1, 1.0));
        String bucket = "fault-after-" + UUID.randomUUID();
        try (S3Client viaProxy = s3(proxy.endpoint(), RetryPolicy.none()); S3Client direct = s3(moto.endpoint(), RetryPolicy.none())) {
            AwsServiceException error = catchThrowableOfType(AwsServiceException.class, () -> viaProxy.createBucket(b -> b.bucket(bucket)));

            assertThat(error.statusCode()).isEqualTo(500);
            assertThat(direct.headBucket(h -> h.bucket(bucket)).sdkHttpResponse().isSuccessful()).isTrue();
        }
        assertThat(proxy.forwarded()).singleElement().satisfies(forwarded -> {
            assertThat(forwarded.service()).isEqualTo("s3");
            assertThat(forwarded.operation()).isEqualTo("PUT");
            assertThat(forwarded.faultAfter()).isTrue();
            assertThat(forwarded.tookEffect()).isTrue();
        });
    }

    @Test
    void recordsStartExportTask_withItsTaskIdentifierAndSourceArn() {
        proxy = AwsFaultProxy.start(moto.endpoint(), FaultPlan.none());
        String arn = "arn:aws:rds:us-east-1:123456789012:cluster-snapshot:rds:orders-2026-12-01-03-10";
        try (RdsClient rds = RdsClient.builder().endpointOverride(proxy.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(CREDENTIALS).overrideConfiguration(c -> c.retryPolicy(RetryPolicy.none())).build()) {
            // moto refuses it (no such snapshot): the attempt is recorded all the same, with moto's status.
            catchThrowableOfType(AwsServiceException.class, () -> rds.startExportTask(s -> s.exportTaskIdentifier("snaplake-orders-1")
                    .sourceArn(arn).s3BucketName("exports").iamRoleArn("arn:aws:iam::123456789012:role/x").kmsKeyId("k")));
        }
        assertThat(proxy.forwarded("rds", "StartExportTask")).singleElement().satisfies(forwarded -> {
            assertThat(forwarded.parameters()).containsEntry("ExportTaskIdentifier", "snaplake-orders-1")
                    .containsEntry("SourceArn", arn).containsEntry("S3BucketName", "exports");
            assertThat(forwarded.tookEffect()).isFalse();
        });
    }

    private static S3Client s3(URI endpoint, RetryPolicy retry) {
        return S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(CREDENTIALS).overrideConfiguration(c -> c.retryPolicy(retry)).build();
    }
}
