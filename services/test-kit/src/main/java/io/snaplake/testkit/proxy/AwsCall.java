package io.snaplake.testkit.proxy;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What one request through the proxy is: its AWS wire protocol (which decides how an error must look), the
 * service it was signed for, its operation, and the few parameters worth recording.
 *
 * @param protocol   the wire protocol, from the request's headers
 * @param service    the service of the SigV4 credential scope, e.g. {@code rds}; {@code ?} when unsigned
 * @param operation  e.g. {@code StartExportTask}, {@code CreateTable}; for S3 the method, e.g. {@code PUT copy}
 * @param parameters the recorded form parameters of a query-protocol call (ExportTaskIdentifier, SourceArn...)
 */
public record AwsCall(Protocol protocol, String service, String operation, Map<String, String> parameters) {

    /** AWS's wire protocols, each with its own error format. */
    public enum Protocol {
        /** {@code X-Amz-Target} and a JSON body: Glue, SQS. */
        JSON,
        /** A JSON body, the operation in the path: Lake Formation. */
        REST_JSON,
        /** {@code Action=} in a form body, XML answers: RDS, STS. */
        QUERY,
        /** S3's REST-XML. */
        S3
    }

    private static final Set<String> RECORDED_PARAMETERS = Set.of("ExportTaskIdentifier", "SourceArn", "S3BucketName",
            "S3Prefix");

    public AwsCall {
        parameters = Map.copyOf(parameters);
    }

    /** An S3 CopyObject or UploadPartCopy: a PUT with {@code x-amz-copy-source}. */
    public boolean isS3Copy() {
        return protocol == Protocol.S3 && operation.equals("PUT copy");
    }

    static AwsCall of(HttpHead request, byte[] body) {
        String target = request.header("X-Amz-Target");
        String contentType = String.valueOf(request.header("Content-Type")).toLowerCase(Locale.ROOT);
        String service = signedService(request.header("Authorization"));
        if (target != null) {
            // AWSGlue.CreateTable, AmazonSQS.SendMessage
            int dot = target.lastIndexOf('.');
            return new AwsCall(Protocol.JSON, service, dot < 0 ? target : target.substring(dot + 1), Map.of());
        }
        if (contentType.startsWith("application/x-www-form-urlencoded") && body != null) {
            Map<String, String> form = form(new String(body, StandardCharsets.UTF_8));
            Map<String, String> recorded = new LinkedHashMap<>();
            form.forEach((name, value) -> {
                if (RECORDED_PARAMETERS.contains(name)) {
                    recorded.put(name, value);
                }
            });
            return new AwsCall(Protocol.QUERY, service, form.getOrDefault("Action", "?"), recorded);
        }
        String path = request.target().split("\\?", 2)[0];
        if (!service.equals("s3") && contentType.contains("json")) {
            return new AwsCall(Protocol.REST_JSON, service, path.substring(path.lastIndexOf('/') + 1), Map.of());
        }
        boolean copy = request.has("x-amz-copy-source");
        return new AwsCall(Protocol.S3, "s3", request.method() + (copy ? " copy" : ""), Map.of());
    }

    /** The service of the SigV4 credential scope: {@code Credential=AKID/20261203/us-east-1/rds/aws4_request}. */
    private static String signedService(String authorization) {
        if (authorization == null) {
            return "?";
        }
        int credential = authorization.indexOf("Credential=");
        if (credential < 0) {
            return "?";
        }
        String[] scope = authorization.substring(credential + "Credential=".length()).split("[,\\s]", 2)[0].split("/");
        return scope.length >= 4 ? scope[3] : "?";
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                form.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }
}
