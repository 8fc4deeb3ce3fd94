package io.snaplake.testkit.proxy;

import io.snaplake.testkit.LocalInfraException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * An HTTP/1.1 reverse proxy in front of an AWS endpoint (moto, S3Proxy, a test double) that makes it behave like
 * a far-away or busy AWS, which the emulators do not simulate: a latency added to every request, the first N
 * matching requests failed, an outage, and a seeded fraction of requests faulted before or after forwarding,
 * each error in the request's own protocol ({@link AwsError}), so that every SDK client sees it as it would
 * see AWS's. It counts what it did and, when asked, keeps a wire log of what it forwarded ({@link Forwarded}).
 * Paths under {@code /moto-api/} pass untouched. Build one with {@link #builder(URI)}.
 */
public final class FaultProxy implements AutoCloseable {

    private final ServerSocket server;
    private final InetSocketAddress upstream;
    private final long latencyMillis;
    private final FaultSchedule faults;
    private final WireLog wire;
    private final ExecutorService connections;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private FaultProxy(Builder builder) throws IOException {
        this.upstream = new InetSocketAddress(builder.upstream.getHost(), builder.upstream.getPort());
        this.latencyMillis = builder.latency.toMillis();
        this.faults = new FaultSchedule(builder.plan, builder.failFirst, builder.firstMatching, builder.firstError);
        this.wire = new WireLog(builder.recordWire);
        AtomicLong threads = new AtomicLong();
        this.connections = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "fault-proxy-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.server = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
        connections.execute(this::acceptLoop);
    }

    /** A proxy to {@code upstream}, e.g. moto's {@code http://127.0.0.1:5000}: it only forwards until told more. */
    public static Builder builder(URI upstream) {
        return new Builder(upstream);
    }

    /** Point SDK clients here instead of at the upstream. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** Stops the random faults of the {@link FaultPlan} (the rest goes on), e.g. for a final check through the proxy. */
    public void calm() {
        faults.calm();
    }

    /** Injects the random faults again as planned. */
    public void resume() {
        faults.resume();
    }

    /** From now on every request is answered with {@code error} (the service down, or refusing credentials), until {@link #endOutage()}. */
    public void startOutage(AwsError error) {
        faults.startOutage(Objects.requireNonNull(error, "error"));
    }

    public void endOutage() {
        faults.endOutage();
    }

    /** Requests seen so far, failed ones included. */
    public long requests() {
        return wire.requests();
    }

    /** Requests answered by {@link Builder#failFirst} so far. */
    public long failedFirst() {
        return faults.failedFirst();
    }

    /** Requests answered with the outage's error so far. */
    public long failedDuringOutage() {
        return faults.failedDuringOutage();
    }

    /** Random faults answered before forwarding, by kind. */
    public Map<Fault, Long> faultsBeforeForwarding() {
        return faults.faultsBefore();
    }

    /** Requests that took effect upstream and were answered with a 500 all the same. */
    public long faultsAfterForwarding() {
        return faults.faultsAfter();
    }

    /** What was forwarded so far, in order (kept only when built with {@link Builder#recordWire()}). */
    public List<Forwarded> forwarded() {
        return wire.forwarded();
    }

    /** Forwarded requests of one operation, e.g. {@code ("rds", "StartExportTask")}. */
    public List<Forwarded> forwarded(String service, String operation) {
        return forwarded().stream().filter(f -> f.service().equals(service) && f.operation().equals(operation)).toList();
    }

    /** Stops accepting connections and ends those open. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // Closing is best effort: the accept loop ends either way.
        }
        open.forEach(FaultProxy::closeQuietly);
        connections.shutdownNow();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                open.add(client);
                connections.execute(() -> {
                    try {
                        new ProxyConnection(client, upstream, latencyMillis, faults, wire).run();
                    } finally {
                        open.remove(client);
                    }
                });
            } catch (RejectedExecutionException closing) {
                open.forEach(FaultProxy::closeQuietly);
            } catch (IOException e) {
                if (!closed) {
                    throw new IllegalStateException("the fault proxy stopped accepting connections", e);
                }
            }
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    /** What the proxy does besides forwarding; nothing unless told. */
    public static final class Builder {
        private final URI upstream;
        private Duration latency = Duration.ZERO;
        private int failFirst;
        private Predicate<AwsCall> firstMatching = call -> false;
        private AwsError firstError = AwsError.SLOW_DOWN;
        private FaultPlan plan = FaultPlan.none();
        private boolean recordWire;

        private Builder(URI upstream) {
            if (upstream.getHost() == null || upstream.getPort() < 0) {
                throw new IllegalArgumentException("the upstream needs a host and a port, e.g. http://127.0.0.1:5000, not " + upstream);
            }
            this.upstream = upstream;
        }

        /** Added before every request is forwarded (none by default). */
        public Builder latency(Duration latency) {
            if (latency.isNegative()) {
                throw new IllegalArgumentException("the latency must be 0 or more, not " + latency);
            }
            this.latency = latency;
            return this;
        }

        /** The first {@code count} requests that match are answered with {@code error} instead of being forwarded. */
        public Builder failFirst(int count, Predicate<AwsCall> matching, AwsError error) {
            this.failFirst = count;
            this.firstMatching = matching;
            this.firstError = error;
            return this;
        }

        /** The first {@code count} S3 copies (CopyObject, UploadPartCopy) are answered with {@code error}. */
        public Builder failFirstCopies(int count, AwsError error) {
            return failFirst(count, AwsCall::isS3Copy, error);
        }

        /** A seeded fraction of requests is faulted (see {@link FaultPlan}). */
        public Builder randomFaults(FaultPlan plan) {
            this.plan = plan;
            return this;
        }

        /** Keeps every forwarded request in the wire log ({@link #forwarded()}). */
        public Builder recordWire() {
            this.recordWire = true;
            return this;
        }

        /** Starts the proxy on a free loopback port. */
        public FaultProxy start() {
            try {
                return new FaultProxy(this);
            } catch (IOException e) {
                throw new LocalInfraException("could not start the fault proxy in front of " + upstream, e);
            }
        }
    }
}
