package io.snaplake.rdsexportwriter.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.snaplake.testkit.LocalInfra;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

class S3FaultProxyTest {

    @Test
    void answersTheFirstCopiesWith503SlowDown_thenPassesRequestsThrough() {
        try (S3FaultProxy proxy = S3FaultProxy.start(LocalInfra.moto().endpoint(), Duration.ZERO, 1);
                S3Client s3 = client(proxy)) {
            s3.createBucket(create -> create.bucket("proxy-slowdown"));
            s3.putObject(put -> put.bucket("proxy-slowdown").key("a"), RequestBody.fromString("hello"));

            assertThatThrownBy(() -> s3.copyObject(copy -> copy.sourceBucket("proxy-slowdown").sourceKey("a")
                    .destinationBucket("proxy-slowdown").destinationKey("b")))
                    .isInstanceOfSatisfying(S3Exception.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(503);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("SlowDown");
                        assertThat(e.isThrottlingException()).isTrue();
                    });
            s3.copyObject(copy -> copy.sourceBucket("proxy-slowdown").sourceKey("a")
                    .destinationBucket("proxy-slowdown").destinationKey("b"));

            assertThat(s3.getObjectAsBytes(get -> get.bucket("proxy-slowdown").key("b")).asUtf8String()).isEqualTo("hello");
            assertThat(proxy.rejectedCopies()).isEqualTo(1);
        }
    }

    @Test
    void answersTheFirstCopiesWithTheChosenError_thenPassesRequestsThrough() {
        try (S3FaultProxy proxy = S3FaultProxy.start(LocalInfra.moto().endpoint(), Duration.ZERO, 2, S3Error.INTERNAL_ERROR);
                S3Client s3 = client(proxy)) {
            s3.createBucket(create -> create.bucket("proxy-internal-error"));
            s3.putObject(put -> put.bucket("proxy-internal-error").key("a"), RequestBody.fromString("hello"));

            for (int i = 0; i < 2; i++) {
                assertThatThrownBy(() -> s3.copyObject(copy -> copy.sourceBucket("proxy-internal-error").sourceKey("a")
                        .destinationBucket("proxy-internal-error").destinationKey("b")))
                        .isInstanceOfSatisfying(S3Exception.class, e -> {
                            assertThat(e.statusCode()).isEqualTo(500);
                            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InternalError");
                            assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("We encountered an internal error. Please try again.");
                            assertThat(e.isThrottlingException()).isFalse();
                        });
            }
            s3.copyObject(copy -> copy.sourceBucket("proxy-internal-error").sourceKey("a")
                    .destinationBucket("proxy-internal-error").destinationKey("b"));

            assertThat(s3.getObjectAsBytes(get -> get.bucket("proxy-internal-error").key("b")).asUtf8String()).isEqualTo("hello");
            assertThat(proxy.rejectedCopies()).isEqualTo(2);
        }
    }

    @Test
    void addsItsLatencyToEveryRequest() {
        try (S3FaultProxy proxy = S3FaultProxy.start(LocalInfra.moto().endpoint(), Duration.ofMillis(100), 0);
                S3Client s3 = client(proxy)) {
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
    void threadsCpu_keepsTheCpuOfConnectionsThatClosed() {
        long whileOpen;
        try (S3FaultProxy proxy = S3FaultProxy.start(LocalInfra.moto().endpoint(), Duration.ZERO, 0)) {
            try (S3Client s3 = client(proxy)) {
                s3.createBucket(create -> create.bucket("proxy-cpu"));
                for (int i = 0; i < 200; i++) {
                    s3.headBucket(head -> head.bucket("proxy-cpu"));
                }
                whileOpen = S3FaultProxy.threadsCpuNanos();
            }
        }
        // Closing the client and the proxy ends every connection's threads; their CPU must stay in the total
        // (a benchmark subtracts it from its process's CPU: dropping it would charge the client with it).
        await().atMost(Duration.ofSeconds(10)).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("s3-fault-proxy-conn")));
        assertThat(whileOpen).isPositive();
        assertThat(S3FaultProxy.threadsCpuNanos()).isGreaterThanOrEqualTo(whileOpen);
    }

    private static S3Client client(S3FaultProxy proxy) {
        LocalInfra.moto();
        return S3Client.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(proxy.endpoint())
                .forcePathStyle(true)
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD).retryStrategy(b -> b.maxAttempts(1)))
                .build();
    }
}
