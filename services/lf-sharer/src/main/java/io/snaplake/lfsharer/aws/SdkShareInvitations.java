package io.snaplake.lfsharer.aws;

import io.snaplake.lfsharer.domain.ShareInvitations;
import io.snaplake.sharing.aws.AwsRetry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.protocols.jsoncore.JsonNodeParser;

/**
 * {@link ShareInvitations} over AWS RAM's REST-JSON API, signed (SigV4) with the recipient account's credentials
 * by the SDK's own signer and HTTP client (the SDK's ram module is not published for the pinned SDK version).
 * Errors are thrown as {@link AwsServiceException}s, so {@link AwsRetry} retries them as any client's.
 *
 * @param endpoint RAM's endpoint, {@code https://ram.<region>.amazonaws.com} on AWS
 */
public record SdkShareInvitations(SdkHttpClient http, IdentityProvider<? extends AwsCredentialsIdentity> credentials, String region,
        URI endpoint, AwsRetry retry) implements ShareInvitations {

    private static final JsonNodeParser JSON = JsonNodeParser.create();

    @Override
    public List<Invitation> pending() {
        List<Invitation> pending = new ArrayList<>();
        String nextToken = null;
        do {
            String body = nextToken == null ? "{}" : "{\"nextToken\":" + quote(nextToken) + "}";
            JsonNode page = retry.call("ram:GetResourceShareInvitations", () -> call("/getresourceshareinvitations", body));
            for (JsonNode invitation : field(page, "resourceShareInvitations").map(JsonNode::asArray).orElse(List.of())) {
                if ("PENDING".equals(text(invitation, "status"))) {
                    pending.add(new Invitation(text(invitation, "resourceShareInvitationArn"), text(invitation, "senderAccountId"),
                            text(invitation, "resourceShareName")));
                }
            }
            nextToken = field(page, "nextToken").map(JsonNode::text).orElse(null);
        } while (nextToken != null);
        return pending;
    }

    @Override
    public void accept(String invitationArn) {
        // The client token makes a retried accept the same request, not a second one.
        String body = "{\"resourceShareInvitationArn\":" + quote(invitationArn) + ",\"clientToken\":"
                + quote(Integer.toHexString(invitationArn.hashCode())) + "}";
        retry.call("ram:AcceptResourceShareInvitation", () -> call("/acceptresourceshareinvitation", body));
    }

    private JsonNode call(String path, String body) {
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(endpoint.resolve(path))
                .putHeader("Content-Type", "application/json").build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(sign -> sign.identity(credentials.resolveIdentity().join())
                .request(request).payload(ContentStreamProvider.fromUtf8String(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "ram").putProperty(AwsV4HttpSigner.REGION_NAME, region));
        try {
            HttpExecuteResponse response = http.prepareRequest(HttpExecuteRequest.builder().request(signed.request())
                    .contentStreamProvider(signed.payload().orElse(null)).build()).call();
            JsonNode json;
            try (InputStream content = response.responseBody().map(InputStream.class::cast).orElse(InputStream.nullInputStream())) {
                byte[] bytes = content.readAllBytes();
                json = bytes.length == 0 ? JSON.parse("{}") : JSON.parse(new String(bytes, StandardCharsets.UTF_8));
            }
            int status = response.httpResponse().statusCode();
            if (status >= 300) {
                String code = response.httpResponse().firstMatchingHeader("x-amzn-ErrorType").map(type -> type.split(":")[0])
                        .or(() -> field(json, "__type").map(JsonNode::text)).orElse("HTTP " + status);
                String message = field(json, "message").or(() -> field(json, "Message")).map(JsonNode::text).orElse("");
                throw AwsServiceException.builder().statusCode(status).message("RAM " + path + ": " + code + ": " + message)
                        .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).serviceName("RAM").build()).build();
            }
            return json;
        } catch (IOException e) {
            throw SdkClientException.create("RAM " + path + " could not be called: " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw SdkClientException.create("RAM " + path + " answered what is not JSON: " + e.getMessage(), e);
        }
    }

    private static Optional<JsonNode> field(JsonNode node, String name) {
        if (!node.isObject()) {
            return Optional.empty();
        }
        Map<String, JsonNode> fields = node.asObject();
        return Optional.ofNullable(fields.get(name)).filter(value -> !value.isNull());
    }

    private static String text(JsonNode node, String name) {
        return field(node, name).map(JsonNode::text).orElse(null);
    }

    private static String quote(String value) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            if (c == '"' || c == '\\') {
                quoted.append('\\').append(c);
            } else if (c < 0x20) {
                quoted.append(String.format("\\u%04x", (int) c));
            } else {
                quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }
}
