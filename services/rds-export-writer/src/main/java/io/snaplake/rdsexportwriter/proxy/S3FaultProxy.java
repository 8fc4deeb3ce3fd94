package io.snaplake.rdsexportwriter.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small HTTP/1.1 reverse proxy in front of an S3 endpoint (moto) that makes it behave like a far-away
 * or busy S3: it adds a fixed latency to every request, and answers the first N copy requests
 * (CopyObject and UploadPartCopy: a PUT with {@code x-amz-copy-source}) with an S3 error, XML body
 * included: {@code 503 SlowDown} by default, as S3 does under throttling, or any other {@link S3Error}
 * (e.g. {@code 500 InternalError}). A test double of S3's latency, throttling and server errors, which
 * moto does not simulate; used by the copier's tests and the copy benchmark.
 *
 * <p>Each client connection gets its own upstream connection. Requests are parsed (head, and the body
 * by Content-Length or chunked framing) so that faults can be injected at request boundaries;
 * responses are relayed as raw bytes. Clients must not pipeline requests (SDKs and the AWS CLI do not).
 * Threads are named {@code s3-fault-proxy-*} so that a benchmark can leave them out of its CPU figures.
 */
public final class S3FaultProxy implements AutoCloseable {

    private static final String ERROR_BODY = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Error><Code>%s</Code><Message>%s</Message>\
            <RequestId>%s</RequestId><HostId>snaplake-s3-fault-proxy</HostId></Error>""";

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final AtomicLong FINISHED_THREADS_CPU_NANOS = new AtomicLong();
    private static final Set<Thread> LIVE_THREADS = ConcurrentHashMap.newKeySet();

    private final ServerSocket server;
    private final InetSocketAddress upstream;
    private final long latencyMillis;
    private final AtomicInteger copiesToReject;
    private final S3Error copyError;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong rejectedCopies = new AtomicLong();
    private final AtomicLong rejectedDuringOutage = new AtomicLong();
    /** While set, every request (not only copies) is answered with this error: S3 down, throttling or refusing credentials. */
    private volatile S3Error outage;
    private volatile boolean closed;

    private S3FaultProxy(URI upstream, Duration latency, int rejectFirstCopies, S3Error copyError) throws IOException {
        this.upstream = new InetSocketAddress(upstream.getHost(), upstream.getPort());
        this.latencyMillis = latency.toMillis();
        this.copiesToReject = new AtomicInteger(rejectFirstCopies);
        this.copyError = copyError;
        this.server = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
        proxyThread(this::acceptLoop, "s3-fault-proxy-accept").start();
    }

    /**
     * @param upstream          the real endpoint, e.g. moto's {@code http://127.0.0.1:5000}
     * @param latency           added before every request is forwarded ({@code Duration.ZERO} for none)
     * @param rejectFirstCopies how many copy requests to answer with 503 SlowDown before passing them through
     */
    public static S3FaultProxy start(URI upstream, Duration latency, int rejectFirstCopies) {
        return start(upstream, latency, rejectFirstCopies, S3Error.SLOW_DOWN);
    }

    /**
     * @param upstream          the real endpoint, e.g. moto's {@code http://127.0.0.1:5000}
     * @param latency           added before every request is forwarded ({@code Duration.ZERO} for none)
     * @param rejectFirstCopies how many copy requests to answer with {@code copyError} before passing them through
     * @param copyError         the error those copy requests get, e.g. {@link S3Error#INTERNAL_ERROR}
     */
    public static S3FaultProxy start(URI upstream, Duration latency, int rejectFirstCopies, S3Error copyError) {
        try {
            return new S3FaultProxy(upstream, latency, rejectFirstCopies, copyError);
        } catch (IOException e) {
            throw new IllegalStateException("could not start the S3 fault proxy", e);
        }
    }

    /** The proxy's endpoint: point S3 clients here instead of at the upstream. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** Requests seen so far, including rejected ones. */
    public long requests() {
        return requests.get();
    }

    /** Copy requests answered with the proxy's error (503 SlowDown unless chosen otherwise) so far. */
    public long rejectedCopies() {
        return rejectedCopies.get();
    }

    /** From now on every request is answered with {@code error}, until {@link #endOutage()}. */
    public void startOutage(S3Error error) {
        this.outage = error;
    }

    public void endOutage() {
        this.outage = null;
    }

    /** Requests answered with the outage's error so far. */
    public long rejectedDuringOutage() {
        return rejectedDuringOutage.get();
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // Closing is best effort: the accept loop ends either way.
        }
    }

    /**
     * The CPU time every proxy thread of this JVM has used so far, those that ended included: a benchmark
     * subtracts it from its process's CPU (summing the live threads alone would charge the client with the CPU
     * of connections that closed during the measurement).
     */
    public static long threadsCpuNanos() {
        long total = FINISHED_THREADS_CPU_NANOS.get();
        for (Thread thread : LIVE_THREADS) {
            total += Math.max(0, THREADS.getThreadCpuTime(thread.getId()));
        }
        return total;
    }

    /** A daemon thread whose CPU time is added to {@link #threadsCpuNanos()} when it ends. */
    private static Thread proxyThread(Runnable work, String name) {
        Thread thread = new Thread(() -> {
            try {
                work.run();
            } finally {
                // Counted as finished before it leaves the live set, so the total never drops in between.
                FINISHED_THREADS_CPU_NANOS.addAndGet(Math.max(0, THREADS.getCurrentThreadCpuTime()));
                LIVE_THREADS.remove(Thread.currentThread());
            }
        }, name);
        thread.setDaemon(true);
        LIVE_THREADS.add(thread);
        return thread;
    }

    private void acceptLoop() {
        AtomicLong connections = new AtomicLong();
        while (!closed) {
            try {
                Socket client = server.accept();
                proxyThread(() -> serve(client), "s3-fault-proxy-conn-" + connections.incrementAndGet()).start();
            } catch (IOException e) {
                if (!closed) {
                    throw new IllegalStateException("S3 fault proxy stopped accepting connections", e);
                }
            }
        }
    }

    private void serve(Socket client) {
        try (client; Socket upstreamSocket = new Socket()) {
            client.setTcpNoDelay(true);
            upstreamSocket.setTcpNoDelay(true);
            upstreamSocket.connect(upstream);
            OutputStream toClient = client.getOutputStream();
            proxyThread(() -> relayResponses(upstreamSocket, client, toClient),
                    Thread.currentThread().getName() + "-responses").start();
            InputStream fromClient = new ConnectionInput(client.getInputStream(), 16 * 1024);
            OutputStream toUpstream = upstreamSocket.getOutputStream();
            byte[] bodyBuffer = new byte[16 * 1024];
            RequestHead head;
            while ((head = RequestHead.read(fromClient)) != null) {
                requests.incrementAndGet();
                S3Error down = outage;
                if (down != null) {
                    head.copyBody(fromClient, OutputStream.nullOutputStream(), bodyBuffer);
                    writeError(toClient, down, rejectedDuringOutage.incrementAndGet());
                    continue;
                }
                if (head.isCopy() && copiesToReject.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
                    head.copyBody(fromClient, OutputStream.nullOutputStream(), bodyBuffer);
                    writeError(toClient, copyError, rejectedCopies.incrementAndGet());
                    continue;
                }
                if (latencyMillis > 0) {
                    // The delay is the behaviour simulated (network distance to S3), not a wait for a condition.
                    Thread.sleep(latencyMillis);
                }
                toUpstream.write(head.raw());
                head.copyBody(fromClient, toUpstream, bodyBuffer);
                toUpstream.flush();
            }
        } catch (IOException e) {
            // A client or upstream closed its connection: that connection ends, the proxy goes on.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void relayResponses(Socket upstreamSocket, Socket client, OutputStream toClient) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream fromUpstream = upstreamSocket.getInputStream()) {
            int n;
            while ((n = fromUpstream.read(buffer)) >= 0) {
                synchronized (toClient) {
                    toClient.write(buffer, 0, n);
                    toClient.flush();
                }
            }
        } catch (IOException e) {
            // The connection ended on either side.
        } finally {
            try {
                client.close();
            } catch (IOException e) {
                // Already closed.
            }
        }
    }

    private static void writeError(OutputStream toClient, S3Error error, long sequence) throws IOException {
        String requestId = error.code().toUpperCase(Locale.ROOT) + sequence;
        byte[] body = ERROR_BODY.formatted(error.code(), error.message(), requestId).getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + error.status() + " " + error.reason() + "\r\n"
                + "Content-Type: application/xml\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "x-amz-request-id: " + requestId + "\r\n"
                + "\r\n";
        synchronized (toClient) {
            toClient.write(head.getBytes(StandardCharsets.US_ASCII));
            toClient.write(body);
            toClient.flush();
        }
    }

    /**
     * A connection's input, buffered without BufferedInputStream's per-call lock: request heads are parsed
     * a byte at a time, and at over a thousand requests per second the proxy's CPU competes with the
     * benchmarked client's on a small machine. Used by one thread only.
     */
    private static final class ConnectionInput extends InputStream {
        private final InputStream in;
        private final byte[] buffer;
        private int position;
        private int limit;

        ConnectionInput(InputStream in, int size) {
            this.in = in;
            this.buffer = new byte[size];
        }

        @Override
        public int read() throws IOException {
            if (position == limit && !fill()) {
                return -1;
            }
            return buffer[position++] & 0xFF;
        }

        @Override
        public int read(byte[] target, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (position == limit) {
                if (length >= buffer.length) {
                    return in.read(target, offset, length);
                }
                if (!fill()) {
                    return -1;
                }
            }
            int n = Math.min(length, limit - position);
            System.arraycopy(buffer, position, target, offset, n);
            position += n;
            return n;
        }

        private boolean fill() throws IOException {
            int n = in.read(buffer, 0, buffer.length);
            if (n <= 0) {
                return false;
            }
            position = 0;
            limit = n;
            return true;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** A parsed HTTP/1.1 request head, kept as raw bytes for forwarding. */
    private record RequestHead(String method, Map<String, String> headers, byte[] raw) {

        static RequestHead read(InputStream in) throws IOException {
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
                if (lastFour == 0x0D0A0D0A) {
                    break;
                }
            }
            if (b < 0) {
                return null;
            }
            String[] lines = new String(raw, 0, length, StandardCharsets.ISO_8859_1).split("\r\n");
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.put(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
                }
            }
            return new RequestHead(lines[0].split(" ", 2)[0], headers, Arrays.copyOf(raw, length));
        }

        boolean isCopy() {
            return method.equals("PUT") && headers.containsKey("x-amz-copy-source");
        }

        void copyBody(InputStream in, OutputStream out, byte[] buffer) throws IOException {
            String transferEncoding = headers.getOrDefault("Transfer-Encoding", "").toLowerCase(Locale.ROOT);
            if (transferEncoding.contains("chunked")) {
                copyChunked(in, out, buffer);
            } else if (headers.containsKey("Content-Length")) {
                copyExactly(in, out, Long.parseLong(headers.get("Content-Length")), buffer);
            }
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
                    throw new IOException("connection closed inside a request body");
                }
                out.write(buffer, 0, n);
                left -= n;
            }
        }
    }
}
