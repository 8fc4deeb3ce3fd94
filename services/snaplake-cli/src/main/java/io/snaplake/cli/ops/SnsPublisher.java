package io.snaplake.cli.ops;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * SNS Publish through its Query API, signed with the AWS SDK's own SigV4 signer and credentials chain.
 * Why not the SDK's sns client: its artifact is not reachable from this build's Maven repository (the
 * other SDK modules are); Publish is one signed form POST, so this class is the whole of what we need.
 */
final class SnsPublisher {

    private static final Set<String> SET_BY_HTTP_CLIENT = Set.of("host", "content-length", "connection", "expect", "upgrade");

    private final URI endpoint;
    private final String region;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final DefaultCredentialsProvider credentials = DefaultCredentialsProvider.builder().build();

    /** @param endpoint the SNS endpoint: {@code https://sns.<region>.amazonaws.com} unless overridden (moto) */
    SnsPublisher(URI endpoint, String region) {
        this.endpoint = endpoint != null ? endpoint : URI.create("https://sns." + region + ".amazonaws.com/");
        this.region = region;
    }

    /** Publishes; throws on any answer but 200 (the caller retries: an SNS outage is waited out). */
    void publish(String topicArn, String subject, String message) throws IOException, InterruptedException {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("Action", "Publish");
        form.put("Version", "2010-03-31");
        form.put("TopicArn", topicArn);
        form.put("Subject", subject.length() > 100 ? subject.substring(0, 100) : subject);
        form.put("Message", message);
        byte[] body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&")).getBytes(StandardCharsets.UTF_8);
        SdkHttpFullRequest unsigned = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(endpoint)
                .putHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .build();
        AwsCredentialsIdentity identity = credentials.resolveIdentity().join();
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(identity)
                .request(unsigned)
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "sns")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)).request();
        HttpRequest.Builder request = HttpRequest.newBuilder(signed.getUri()).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        signed.headers().forEach((name, values) -> {
            if (!SET_BY_HTTP_CLIENT.contains(name.toLowerCase())) {
                values.forEach(value -> request.header(name, value));
            }
        });
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("SNS Publish to " + topicArn + " answered " + response.statusCode() + ": " + response.body());
        }
    }
}
