package io.snaplake.lab.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snaplake.testkit.S3ProxyServer;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

class LatencyProxyProcessTest {

    @Test
    void addsItsLatencyToEveryRequest_fromAProcessOfItsOwn() {
        try (S3ProxyServer server = S3ProxyServer.start();
                LatencyProxyProcess proxy = LatencyProxyProcess.start(server.endpoint(), Duration.ofMillis(200));
                S3Client s3 = client(proxy.endpoint())) {
            s3.createBucket(create -> create.bucket("latency-proxy"));
            s3.putObject(put -> put.bucket("latency-proxy").key("a"), RequestBody.fromString("hello"));

            long start = System.nanoTime();
            s3.copyObject(copy -> copy.sourceBucket("latency-proxy").sourceKey("a").destinationBucket("latency-proxy").destinationKey("b"));
            String copied = s3.getObjectAsBytes(get -> get.bucket("latency-proxy").key("b")).asUtf8String();
            Duration twoRequests = Duration.ofNanos(System.nanoTime() - start);

            assertThat(copied).isEqualTo("hello");
            assertThat(twoRequests).isGreaterThanOrEqualTo(Duration.ofMillis(400));
            assertThat(proxy.pid()).isNotEqualTo(ProcessHandle.current().pid());
        }
    }

    @Test
    void ends_whenClosed() {
        LatencyProxyProcess proxy = LatencyProxyProcess.start(URI.create("http://127.0.0.1:9"), Duration.ZERO);
        ProcessHandle process = ProcessHandle.of(proxy.pid()).orElseThrow();

        proxy.close();

        assertThat(process.isAlive()).isFalse();
    }

    @Test
    void failsWithTheProxysOwnError_whenItCannotStart() {
        assertThatThrownBy(() -> LatencyProxyProcess.start(URI.create("http://127.0.0.1:9"), Duration.ofMillis(-1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the latency proxy did not start")
                .hasMessageContaining("--latency-ms must be 0 or more, not -1");
    }

    private static S3Client client(URI endpoint) {
        return S3Client.builder().region(Region.US_EAST_1).endpointOverride(endpoint).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build();
    }
}
