package io.snaplake.testkit.proxy;

import io.snaplake.testkit.proxy.AwsCall.Protocol;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes an {@link AwsError} as a whole HTTP response in the request's protocol, so that every SDK client
 * reads it as it reads AWS's own: the error code where that protocol puts it, and the request id header.
 */
final class ErrorResponses {

    private static final AtomicLong SEQUENCE = new AtomicLong();

    private ErrorResponses() {
    }

    static void write(OutputStream out, AwsError error, Protocol protocol, boolean toHeadRequest) throws IOException {
        String requestId = "fault-proxy-" + SEQUENCE.incrementAndGet();
        String side = error.serverSide() ? "Receiver" : "Sender";
        Map<String, String> headers = new LinkedHashMap<>();
        String body;
        switch (protocol) {
            case JSON, REST_JSON -> {
                headers.put("Content-Type", protocol == Protocol.JSON ? "application/x-amz-json-1.1" : "application/json");
                headers.put("x-amzn-ErrorType", error.code());
                headers.put("x-amzn-RequestId", requestId);
                // SQS's JSON protocol also names the query-compatible code.
                headers.put("x-amzn-query-error", error.code() + ";" + side);
                body = "{\"__type\":\"" + json(error.code()) + "\",\"message\":\"" + json(error.message()) + "\"}";
            }
            case QUERY -> {
                headers.put("Content-Type", "text/xml");
                headers.put("x-amzn-RequestId", requestId);
                body = "<ErrorResponse><Error><Type>" + side + "</Type><Code>" + xml(error.code()) + "</Code><Message>"
                        + xml(error.message()) + "</Message></Error><RequestId>" + requestId + "</RequestId></ErrorResponse>";
            }
            case S3 -> {
                headers.put("Content-Type", "application/xml");
                headers.put("x-amz-request-id", requestId);
                body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + xml(error.code()) + "</Code><Message>"
                        + xml(error.message()) + "</Message><RequestId>" + requestId
                        + "</RequestId><HostId>snaplake-fault-proxy</HostId></Error>";
            }
            default -> throw new IllegalArgumentException("no error format for " + protocol);
        }
        byte[] bytes = toHeadRequest ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(error.status()).append(' ').append(error.reason()).append("\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("Content-Length: ").append(bytes.length).append("\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(bytes);
        out.flush();
    }

    /** A gateway error with no body: the upstream could not be reached. */
    static void writeBadGateway(OutputStream out) throws IOException {
        out.write("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String json(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
