package io.snaplake.deploy.aws;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * SigV4-signed calls to AWS APIs whose SDK module is not on Maven Central at the project's SDK version
 * (CloudFormation's Query API, EventBridge's JSON API), so that the tests still use real AWS wire calls.
 */
final class AwsApi {

    private final URI endpoint;
    private final String region;
    private final AwsBasicCredentials credentials;
    private final HttpClient http = HttpClient.newHttpClient();
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

    AwsApi(URI endpoint, String region, AwsBasicCredentials credentials) {
        this.endpoint = endpoint;
        this.region = region;
        this.credentials = credentials;
    }

    /** A Query-protocol call (CloudFormation); answers the response's XML. */
    Document query(String service, String action, String version, Map<String, String> parameters) {
        StringBuilder form = new StringBuilder("Action=").append(action).append("&Version=").append(version);
        parameters.forEach((key, value) -> form.append('&').append(encode(key)).append('=').append(encode(value)));
        String body = send(service, "application/x-www-form-urlencoded; charset=utf-8", null, form.toString());
        try {
            return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(action + " answered what is not XML: " + body, e);
        }
    }

    /** A JSON-protocol call (EventBridge: target {@code AWSEvents.DescribeRule}); answers the JSON body. */
    String json(String service, String target, String body) {
        return send(service, "application/x-amz-json-1.1", target, body);
    }

    private String send(String service, String contentType, String target, String body) {
        SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(endpoint)
                .putHeader("Content-Type", contentType);
        if (target != null) {
            request.putHeader("X-Amz-Target", target);
        }
        SignedRequest signed = signer.sign(r -> r.identity(credentials).request(request.build())
                .payload(ContentStreamProvider.fromUtf8String(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        HttpRequest.Builder http = HttpRequest.newBuilder(endpoint).POST(HttpRequest.BodyPublishers.ofString(body));
        signed.request().headers().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Host") && !name.equalsIgnoreCase("Content-Length")) {
                values.forEach(value -> http.header(name, value));
            }
        });
        try {
            HttpResponse<String> response = this.http.send(http.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new AwsApiException(response.statusCode(), response.body());
            }
            return response.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(service + " at " + endpoint + " could not be reached: " + e.getMessage(), e);
        }
    }

    /** The text of every element named {@code tag} under {@code parent}, in order. */
    static List<String> texts(Element parent, String tag) {
        NodeList nodes = parent.getElementsByTagName(tag);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            texts.add(nodes.item(i).getTextContent());
        }
        return texts;
    }

    static List<Element> elements(Document document, String tag) {
        NodeList nodes = document.getElementsByTagName(tag);
        List<Element> elements = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            elements.add((Element) nodes.item(i));
        }
        return elements;
    }

    static String text(Element parent, String tag) {
        List<String> texts = texts(parent, tag);
        return texts.isEmpty() ? null : texts.get(0);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String formOf(Map<String, String> parameters) {
        return parameters.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    /** A non-2xx answer, with AWS's error body. */
    static final class AwsApiException extends RuntimeException {
        private final int status;

        AwsApiException(int status, String body) {
            super("HTTP " + status + ": " + body);
            this.status = status;
        }

        int status() {
            return status;
        }
    }
}
