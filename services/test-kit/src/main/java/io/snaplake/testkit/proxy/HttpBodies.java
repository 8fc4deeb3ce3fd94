package io.snaplake.testkit.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Copies HTTP/1.1 message bodies by their framing (Content-Length or chunked), so that the proxy knows where
 * each message ends on a kept-alive connection and can step in between two of them.
 */
final class HttpBodies {

    /** Request bodies up to this size are read whole, so that a request can be sent again on a new connection. */
    static final long BUFFERED_LIMIT = 8L << 20;

    private HttpBodies() {
    }

    /** Whether the request's body is read whole before forwarding (not chunked, and small enough). */
    static boolean buffered(HttpHead request) {
        return !request.chunked() && request.contentLength() <= BUFFERED_LIMIT;
    }

    /** A request body of known length (none: an empty array), read whole. */
    static byte[] readAll(HttpHead request, InputStream in) throws IOException {
        long length = Math.max(0, request.contentLength());
        byte[] body = in.readNBytes((int) length);
        if (body.length < length) {
            throw new IOException("connection closed inside a request body");
        }
        return body;
    }

    /** Copies a request's body: chunked, by Content-Length, or none. */
    static void copyRequest(HttpHead request, InputStream in, OutputStream out, byte[] buffer) throws IOException {
        if (request.chunked()) {
            copyChunked(in, out, buffer);
        } else if (request.contentLength() > 0) {
            copyExactly(in, out, request.contentLength(), buffer);
        }
    }

    /**
     * Copies a response's body. Returns {@code true} when the body had no framing and ran to the end of the
     * connection, which must then be closed on both sides.
     */
    static boolean copyResponse(HttpHead response, boolean toHeadRequest, InputStream in, OutputStream out, byte[] buffer)
            throws IOException {
        int status = response.status();
        if (toHeadRequest || status == 204 || status == 304 || status < 200) {
            return false;
        }
        if (response.chunked()) {
            copyChunked(in, out, buffer);
            return false;
        }
        long length = response.contentLength();
        if (length >= 0) {
            copyExactly(in, out, length, buffer);
            return false;
        }
        in.transferTo(out);
        return true;
    }

    private static void copyChunked(InputStream in, OutputStream out, byte[] buffer) throws IOException {
        while (true) {
            String sizeLine = readLine(in);
            out.write((sizeLine + "\r\n").getBytes(StandardCharsets.US_ASCII));
            long size = Long.parseLong(sizeLine.split(";", 2)[0].trim(), 16);
            if (size == 0) {
                String trailer;
                do {
                    trailer = readLine(in);
                    out.write((trailer + "\r\n").getBytes(StandardCharsets.US_ASCII));
                } while (!trailer.isEmpty());
                return;
            }
            copyExactly(in, out, size + 2, buffer);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        if (b < 0) {
            throw new IOException("connection closed inside a chunked body");
        }
        return line.toString();
    }

    private static void copyExactly(InputStream in, OutputStream out, long length, byte[] buffer) throws IOException {
        long left = length;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new IOException("connection closed inside a message body");
            }
            out.write(buffer, 0, n);
            left -= n;
        }
    }
}
