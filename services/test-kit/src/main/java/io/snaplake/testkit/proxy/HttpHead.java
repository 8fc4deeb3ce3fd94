package io.snaplake.testkit.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The head of one HTTP/1.1 message, a request or a response: its first line and its header lines in their
 * order, as read from the wire, so that the proxy can forward it as it came (less the lines it drops).
 */
final class HttpHead {

    private static final int CRLF_CRLF = 0x0D0A0D0A;

    private final String startLine;
    private final List<String> fields;

    private HttpHead(String startLine, List<String> fields) {
        this.startLine = startLine;
        this.fields = fields;
    }

    /** Reads a head up to its empty line; {@code null} when the connection ends first (the peer closed it). */
    static HttpHead read(InputStream in) throws IOException {
        byte[] raw = new byte[2048];
        int length = 0;
        int lastFour = 0;
        int b;
        while ((b = in.read()) >= 0) {
            if (length == raw.length) {
                raw = Arrays.copyOf(raw, raw.length * 2);
            }
            raw[length++] = (byte) b;
            lastFour = (lastFour << 8) | b;
            if (lastFour == CRLF_CRLF) {
                break;
            }
        }
        if (b < 0) {
            return null;
        }
        String[] lines = new String(raw, 0, length - 4, StandardCharsets.ISO_8859_1).split("\r\n");
        return new HttpHead(lines[0], List.of(lines).subList(1, lines.length));
    }

    /** A request's method, e.g. {@code PUT}. */
    String method() {
        return startLine.split(" ", 3)[0];
    }

    /** A request's target, e.g. {@code /bucket/key?uploads}. */
    String target() {
        String[] parts = startLine.split(" ", 3);
        return parts.length > 1 ? parts[1] : "/";
    }

    /** A response's status code, e.g. {@code 200}. */
    int status() {
        return Integer.parseInt(startLine.split(" ", 3)[1]);
    }

    /** The first value of header {@code name} (any case), trimmed, or {@code null}. */
    String header(String name) {
        for (String field : fields) {
            int colon = field.indexOf(':');
            if (colon > 0 && field.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return field.substring(colon + 1).trim();
            }
        }
        return null;
    }

    boolean has(String name) {
        return header(name) != null;
    }

    /** This head without header {@code name}. */
    HttpHead without(String name) {
        return new HttpHead(startLine, fields.stream().filter(field -> {
            int colon = field.indexOf(':');
            return colon <= 0 || !field.substring(0, colon).trim().equalsIgnoreCase(name);
        }).toList());
    }

    /** The body's length by Content-Length, or -1 when the head names none. */
    long contentLength() {
        String length = header("Content-Length");
        return length == null ? -1 : Long.parseLong(length);
    }

    boolean chunked() {
        String encoding = header("Transfer-Encoding");
        return encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked");
    }

    /** Whether the sender closes the connection after this message. */
    boolean closesConnection() {
        String connection = header("Connection");
        boolean http10 = startLine.startsWith("HTTP/1.0") || startLine.endsWith("HTTP/1.0");
        return connection != null ? connection.equalsIgnoreCase("close") : http10;
    }

    /** The head as it goes on the wire, its empty line included. */
    byte[] bytes() {
        StringBuilder head = new StringBuilder(startLine).append("\r\n");
        fields.forEach(field -> head.append(field).append("\r\n"));
        return head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }
}
