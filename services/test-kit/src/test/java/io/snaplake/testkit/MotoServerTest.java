package io.snaplake.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

class MotoServerTest {

    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));

    private final MotoServer moto = LocalInfra.moto();
    private final S3Client s3 = S3Client.builder()
            .endpointOverride(moto.endpoint())
            .region(Region.US_EAST_1)
            .forcePathStyle(true)
            .credentialsProvider(CREDENTIALS)
            .build();

    @AfterEach
    void closeClient() {
        s3.close();
        moto.reset();
    }

    @Test
    void createsAnS3Bucket_throughTheSdk() {
        s3.createBucket(b -> b.bucket("snaplake-exports"));

        assertThat(s3.listBuckets().buckets()).extracting(Bucket::name).contains("snaplake-exports");
    }

    @Test
    void forgetsEveryResource_onReset() {
        s3.createBucket(b -> b.bucket("snaplake-lake"));

        moto.reset();

        assertThat(s3.listBuckets().buckets()).isEmpty();
    }

    /** moto_server closes every connection after one response; the front keeps it for the next request. */
    @Test
    void answersTwoRequests_onOneConnection() throws IOException {
        try (Socket socket = new Socket(moto.endpoint().getHost(), moto.endpoint().getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            for (int request = 1; request <= 2; request++) {
                out.write("GET /moto-api/data.json HTTP/1.1\r\nHost: moto\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();

                assertThat(in.readLine()).startsWith("HTTP/1.1 200");
                long length = skipHeadersReadingContentLength(in);
                assertThat(in.skip(length)).isEqualTo(length);
            }
        }
    }

    /** SQS's ReceiveMessage long-polls; the front serves other requests meanwhile. */
    @Test
    void servesS3_whileAnSqsReceiveLongPolls() throws Exception {
        try (SqsClient sqs = SqsClient.builder().endpointOverride(moto.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(CREDENTIALS).build()) {
            String queue = sqs.createQueue(q -> q.queueName("long-poll")).queueUrl();
            CompletableFuture<ReceiveMessageResponse> poll = CompletableFuture.supplyAsync(
                    () -> sqs.receiveMessage(r -> r.queueUrl(queue).waitTimeSeconds(20)));

            long started = System.nanoTime();
            s3.createBucket(b -> b.bucket("during-a-long-poll"));
            s3.putObject(p -> p.bucket("during-a-long-poll").key("file.gz.parquet"), RequestBody.fromBytes(new byte[100_000]));
            Duration s3Took = Duration.ofNanos(System.nanoTime() - started);
            sqs.sendMessage(m -> m.queueUrl(queue).messageBody("snapshot"));

            assertThat(s3Took).isLessThan(Duration.ofSeconds(10));
            assertThat(poll.get(30, TimeUnit.SECONDS).messages()).extracting(m -> m.body()).containsExactly("snapshot");
        }
    }

    private static long skipHeadersReadingContentLength(BufferedReader in) throws IOException {
        long length = 0;
        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Long.parseLong(line.substring("content-length:".length()).trim());
            }
        }
        return length;
    }
}
