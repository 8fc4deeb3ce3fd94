package io.snaplake.testkit.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.snaplake.testkit.LocalInfra;
import io.snaplake.testkit.MotoServer;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sqs.SqsClient;

class FaultProxyTest {

    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));

    private final MotoServer moto = LocalInfra.moto();
    private FaultProxy proxy;

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        moto.reset();
    }

    @Test
    void answersEachFault_inTheQueryProtocolsErrorFormat_asRdsClientsRecogniseIt() {
        proxy = FaultProxy.builder(moto.endpoint()).randomFaults(new FaultPlan(1.0, 7, 0)).recordWire().start();
        try (RdsClient rds = RdsClient.builder().endpointOverride(proxy.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(CREDENTIALS).overrideConfiguration(c -> c.retryPolicy(RetryPolicy.none())).build()) {
            assertThat(errorCodesByStatus(40, rds::describeDBClusters, Set.of(400))).containsExactlyInAnyOrderEntriesOf(Map.of(
                    400, "Throttling", 429, "Throttling", 500, "InternalFailure", 503, "ServiceUnavailable"));
        }
        assertThat(proxy.forwarded()).isEmpty();
    }

    @Test
    void answersEachFault_inTheJsonProtocolsErrorFormat_asSqsClientsRecogniseIt() {
        proxy = FaultProxy.builder(moto.endpoint()).randomFaults(new FaultPlan(1.0, 7, 0)).start();
        try (SqsClient sqs = SqsClient.builder().endpointOverride(proxy.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(CREDENTIALS).overrideConfiguration(c -> c.retryPolicy(RetryPolicy.none())).build()) {
            assertThat(errorCodesByStatus(40, sqs::listQueues, Set.of(400, 429))).containsExactlyInAnyOrderEntriesOf(Map.of(
                    400, "ThrottlingException", 429, "TooManyRequestsException",
                    500, "InternalServerException", 503, "ServiceUnavailableException"));
        }
    }

    @Test
    void answersS3_withSlowDownAndInternalError() {
        proxy = FaultProxy.builder(moto.endpoint()).randomFaults(new FaultPlan(1.0, 7, 0)).start();
        try (S3Client s3 = s3(proxy.endpoint(), RetryPolicy.none())) {
            assertThat(errorCodesByStatus(20, s3::listBuckets, Set.of()))
                    .containsExactlyInAnyOrderEntriesOf(Map.of(503, "SlowDown", 500, "InternalError"));
        }
    }

    @Test
    void sdkClientsRetryThroughFaults_atThirtyPercent() {
        proxy = FaultProxy.builder(moto.endpoint()).randomFaults(new FaultPlan(0.3, 42, 0.2)).start();
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
        proxy = FaultProxy.builder(moto.endpoint()).randomFaults(new FaultPlan(1.0, 1, 1.0)).recordWire().start();
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
        proxy = FaultProxy.builder(moto.endpoint()).recordWire().start();
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

    static Stream<Arguments> firstCopyErrors() {
        return Stream.of(Arguments.of(AwsError.SLOW_DOWN, 1, true), Arguments.of(AwsError.INTERNAL_ERROR, 2, false));
    }

    @ParameterizedTest
    @MethodSource("firstCopyErrors")
    void answersTheFirstCopiesWithTheChosenError_thenPassesRequestsThrough(AwsError error, int first, boolean throttling) {
        String bucket = "proxy-first-" + error.code().toLowerCase();
        proxy = FaultProxy.builder(moto.endpoint()).failFirstCopies(first, error).start();
        try (S3Client s3 = s3(proxy.endpoint(), RetryPolicy.none())) {
            s3.createBucket(create -> create.bucket(bucket));
            s3.putObject(put -> put.bucket(bucket).key("a"), RequestBody.fromString("hello"));

            for (int i = 0; i < first; i++) {
                assertThatThrownBy(() -> s3.copyObject(copy -> copy.sourceBucket(bucket).sourceKey("a")
                        .destinationBucket(bucket).destinationKey("b")))
                        .isInstanceOfSatisfying(S3Exception.class, e -> {
                            assertThat(e.statusCode()).isEqualTo(error.status());
                            assertThat(e.awsErrorDetails().errorCode()).isEqualTo(error.code());
                            assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(error.message());
                            assertThat(e.isThrottlingException()).isEqualTo(throttling);
                        });
            }
            s3.copyObject(copy -> copy.sourceBucket(bucket).sourceKey("a").destinationBucket(bucket).destinationKey("b"));

            assertThat(s3.getObjectAsBytes(get -> get.bucket(bucket).key("b")).asUtf8String()).isEqualTo("hello");
            assertThat(proxy.failedFirst()).isEqualTo(first);
        }
    }

    @Test
    void addsItsLatencyToEveryRequest() {
        proxy = FaultProxy.builder(moto.endpoint()).latency(Duration.ofMillis(100)).start();
        try (S3Client s3 = s3(proxy.endpoint(), RetryPolicy.none())) {
            s3.createBucket(create -> create.bucket("proxy-latency"));
            long start = System.nanoTime();
            for (int i = 0; i < 3; i++) {
                s3.headBucket(head -> head.bucket("proxy-latency"));
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
            assertThat(proxy.requests()).isEqualTo(4);
        }
    }

    @Test
    void answersEveryRequestWithTheOutagesError_untilItEnds() {
        proxy = FaultProxy.builder(moto.endpoint()).start();
        try (S3Client s3 = s3(proxy.endpoint(), RetryPolicy.none())) {
            s3.createBucket(create -> create.bucket("proxy-outage"));
            proxy.startOutage(AwsError.ACCESS_DENIED);

            assertThatThrownBy(() -> s3.headBucket(head -> head.bucket("proxy-outage")))
                    .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
            assertThatThrownBy(() -> s3.listObjectsV2(list -> list.bucket("proxy-outage")))
                    .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied"));
            proxy.endOutage();

            assertThat(s3.listObjectsV2(list -> list.bucket("proxy-outage")).contents()).isEmpty();
            assertThat(proxy.failedDuringOutage()).isEqualTo(2);
        }
    }

    /** The error code each status came with, over {@code calls} failing calls; those in {@code throttling} must read as throttling. */
    private static Map<Integer, String> errorCodesByStatus(int calls, Runnable call, Set<Integer> throttling) {
        Map<Integer, String> codeByStatus = new HashMap<>();
        for (int i = 0; i < calls; i++) {
            AwsServiceException error = catchThrowableOfType(AwsServiceException.class, call::run);
            codeByStatus.put(error.statusCode(), error.awsErrorDetails().errorCode());
            if (throttling.contains(error.statusCode())) {
                assertThat(error.isThrottlingException()).isTrue();
            }
        }
        return codeByStatus;
    }

    private static S3Client s3(URI endpoint, RetryPolicy retry) {
        return S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(CREDENTIALS).overrideConfiguration(c -> c.retryPolicy(retry)).build();
    }
}
