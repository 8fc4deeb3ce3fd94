package io.snaplake.cli.ops;

import io.snaplake.testkit.LocalInfra;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SNS set-up calls against moto through its Query API (moto does not check signatures; the SDK's sns
 * module is not reachable from this build's Maven repository, see SnsPublisher).
 */
final class MotoSns {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private MotoSns() {
    }

    static String createTopic(String name) throws IOException, InterruptedException {
        String answer = call("Action=CreateTopic&Name=" + enc(name));
        Matcher arn = Pattern.compile("<TopicArn>([^<]+)</TopicArn>").matcher(answer);
        if (!arn.find()) {
            throw new IOException("no TopicArn in " + answer);
        }
        return arn.group(1);
    }

    /** Subscribes an SQS queue with raw message delivery: the queue receives the published text as is. */
    static void subscribeRaw(String topicArn, String queueArn) throws IOException, InterruptedException {
        call("Action=Subscribe&TopicArn=" + enc(topicArn) + "&Protocol=sqs&Endpoint=" + enc(queueArn)
                + "&Attributes.entry.1.key=RawMessageDelivery&Attributes.entry.1.value=true");
    }

    private static String call(String form) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(LocalInfra.moto().endpoint() + "/"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/sns/aws4_request, SignedHeaders=host, Signature=0")
                .POST(HttpRequest.BodyPublishers.ofString(form + "&Version=2010-03-31")).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("moto SNS answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
