package io.snaplake.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP reverse proxy in front of an AWS endpoint (moto) that answers a seeded fraction of requests with
 * the errors a busy AWS gives, in each protocol's own error format, so that every SDK client sees them as it
 * would see AWS's: throttling (HTTP 400 with a throttling code, or 429) and server errors (500, 503).
 *
 * <ul>
 *   <li>JSON protocols ({@code X-Amz-Target}: Glue, SQS): {@code x-amzn-ErrorType} and
 *       {@code {"__type":"ThrottlingException"}};</li>
 *   <li>REST-JSON (Lake Formation: a JSON body, no target header): the same, by path;</li>
 *   <li>query protocol ({@code Action=} form body: RDS, STS): {@code <ErrorResponse><Error><Code>Throttling};</li>
 *   <li>S3's REST-XML: {@code <Error><Code>SlowDown</Code>} (503) or {@code InternalError} (500).</li>
 * </ul>
 *
 * <p>Most faults are answered <em>before</em> forwarding (the request never reached AWS); a share of the
 * server errors is answered <em>after</em> forwarding: the request took effect, the client sees a 5xx and
 * retries, which is what tests the idempotency of StartExportTask, copies, Glue and Lake Formation calls.
 * The proxy keeps a log of what it forwarded (service, operation, the upstream status, and for RDS's
 * StartExportTask the ExportTaskIdentifier and SourceArn), so a check can count effects from the wire.
 * Paths under {@code /moto-api/} pass untouched. A test double of AWS's throttling and server errors, which
 * moto does not simulate.
 */
public final class AwsFaultProxy implements AutoCloseable {

    /** How often, and how, requests fail. */
    public record FaultPlan(double rate, long seed, double afterForwardShare) {

        public FaultPlan {
            if (rate < 0 || rate > 1 || afterForwardShare < 0 || afterForwardShare > 1) {
                throw new IllegalArgumentException("rate and afterForwardShare are fractions in [0, 1], got "
                        + rate + " and " + afterForwardShare);
            }
        }

        /** No faults: the proxy only records what it forwards. */
        public static FaultPlan none() {
            return new FaultPlan(0, 0, 0);
        }
    }

    /** The kind of error answered. */
    public enum Fault {
        THROTTLED_400(400, "Bad Request"),
        TOO_MANY_REQUESTS_429(429, "Too Many Requests"),
        INTERNAL_ERROR_500(500, "Internal Server Error"),
        UNAVAILABLE_503(503, "Service Unavailable");

        final int status;
        final String reason;

        Fault(int status, String reason) {
            this.status = status;
            this.reason = reason;
        }
    }

    /** One request the proxy forwarded, and the upstream's answer (before any fault replaced it). */
    public record Forwarded(Instant at, String service, String operation, int upstreamStatus, boolean faultAfter,
            Map<String, String> parameters) {

        public boolean tookEffect() {
            return upstreamStatus >= 200 && upstreamStatus < 300;
        }
    }

    // Headers java.net.http sets itself (and refuses), and hop-by-hop headers.
    private static final Set<String> NOT_FORWARDED = Set.of("host", "content-length", "connection", "expect",
            "upgrade", "transfer-encoding", "keep-alive", "te", "trailer", "proxy-connection");
    private static final Set<String> NOT_RELAYED = Set.of("content-length", "transfer-encoding", "connection",
            "keep-alive", "date", "server");
    private static final Set<String> RECORDED_PARAMETERS = Set.of("ExportTaskIdentifier", "SourceArn", "S3BucketName",
            "S3Prefix");

    private final HttpServer server;
    private final ExecutorService executor;
    private final HttpClient client;
    private final URI upstream;
    private final FaultPlan plan;
    private final Random random;
    private final List<Forwarded> forwarded = new ArrayList<>();
    private final Map<Fault, AtomicLong> faultsBefore = new LinkedHashMap<>();
    private final AtomicLong faultsAfter = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private volatile FaultPlan activePlan;

    private AwsFaultProxy(URI upstream, FaultPlan plan) throws IOException {
        this.upstream = upstream;
        this.plan = plan;
        this.activePlan = plan;
        this.random = new Random(plan.seed());
        for (Fault fault : Fault.values()) {
            faultsBefore.put(fault, new AtomicLong());
        }
        this.executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "aws-fault-proxy");
            thread.setDaemon(true);
            return thread;
        });
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).executor(executor).build();
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** Starts a proxy to {@code upstream} (e.g. moto's {@code http://127.0.0.1:5000}) on a free loopback port. */
    public static AwsFaultProxy start(URI upstream, FaultPlan plan) {
        try {
            return new AwsFaultProxy(upstream, plan);
        } catch (IOException e) {
            throw new LocalInfraException("could not start the AWS fault proxy in front of " + upstream, e);
        }
    }

    /** Point SDK clients here instead of at the upstream. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Stops injecting faults (the log of forwarded requests goes on), e.g. for a final check through the proxy. */
    public void calm() {
        activePlan = FaultPlan.none();
    }

    /** Injects faults again as planned. */
    public void resume() {
        activePlan = plan;
    }

    public long requests() {
        return requests.get();
    }

    /** Faults answered before forwarding, by kind. */
    public Map<Fault, Long> faultsBeforeForwarding() {
        Map<Fault, Long> counts = new LinkedHashMap<>();
        faultsBefore.forEach((fault, count) -> counts.put(fault, count.get()));
        return counts;
    }

    /** Requests that took effect upstream and were answered with a 5xx all the same. */
    public long faultsAfterForwarding() {
        return faultsAfter.get();
    }

    /** What was forwarded so far, in order. */
    public List<Forwarded> forwarded() {
        synchronized (forwarded) {
            return List.copyOf(forwarded);
        }
    }

    /** Forwarded requests of one operation, e.g. {@code ("rds", "StartExportTask")}. */
    public List<Forwarded> forwarded(String service, String operation) {
        return forwarded().stream().filter(f -> f.service().equals(service) && f.operation().equals(operation)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.incrementAndGet();
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Call call = Call.of(exchange, body);
            String path = exchange.getRequestURI().getRawPath();
            boolean motoApi = path.startsWith("/moto-api");
            Decision decision = motoApi ? Decision.PASS : decide();
            if (decision.before() != null) {
                faultsBefore.get(decision.before()).incrementAndGet();
                writeFault(exchange, call, decision.before());
                return;
            }
            HttpResponse<byte[]> response;
            try {
                response = forward(exchange, body);
            } catch (IOException | InterruptedException e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                // The upstream is away: a connection error, as a client would see it from AWS.
                exchange.sendResponseHeaders(502, -1);
                return;
            }
            if (!motoApi) {
                synchronized (forwarded) {
                    forwarded.add(new Forwarded(Instant.now(), call.service(), call.operation(), response.statusCode(),
                            decision.after(), call.parameters()));
                }
            }
            if (decision.after()) {
                faultsAfter.incrementAndGet();
                writeFault(exchange, call, Fault.INTERNAL_ERROR_500);
                return;
            }
            relay(exchange, response);
        }
    }

    private record Decision(Fault before, boolean after) {
        static final Decision PASS = new Decision(null, false);
    }

    private synchronized Decision decide() {
        FaultPlan current = activePlan;
        if (current.rate() == 0 || random.nextDouble() >= current.rate()) {
            return Decision.PASS;
        }
        if (random.nextDouble() < current.afterForwardShare()) {
            return new Decision(null, true);
        }
        Fault[] faults = Fault.values();
        return new Decision(faults[random.nextInt(faults.length)], false);
    }

    private HttpResponse<byte[]> forward(HttpExchange exchange, byte[] body) throws IOException, InterruptedException {
        URI target = URI.create(upstream.toString().replaceAll("/+$", "") + exchange.getRequestURI().toString());
        HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(Duration.ofMinutes(2))
                .method(exchange.getRequestMethod(), body.length == 0
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> request.header(name, value));
            }
        });
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void relay(HttpExchange exchange, HttpResponse<byte[]> response) throws IOException {
        response.headers().map().forEach((name, values) -> {
            if (!NOT_RELAYED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                exchange.getResponseHeaders().put(name, values);
            }
        });
        byte[] body = response.body();
        boolean head = exchange.getRequestMethod().equalsIgnoreCase("HEAD");
        if (head) {
            // A HEAD answer has no body but keeps the object's Content-Length, which the SDK reads.
            response.headers().firstValue("content-length").ifPresent(length -> exchange.getResponseHeaders().set("Content-Length", length));
            exchange.sendResponseHeaders(response.statusCode(), -1);
            return;
        }
        int status = response.statusCode();
        boolean noBodyAllowed = status == 204 || status == 304 || (status >= 100 && status < 200);
        exchange.sendResponseHeaders(status, body.length == 0 || noBodyAllowed ? -1 : body.length);
        if (body.length > 0 && !noBodyAllowed) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static void writeFault(HttpExchange exchange, Call call, Fault fault) throws IOException {
        String requestId = "fault-" + Long.toHexString(System.nanoTime());
        String code;
        String contentType;
        String body;
        switch (call.protocol()) {
            case JSON, REST_JSON -> {
                code = switch (fault) {
                    case THROTTLED_400 -> "ThrottlingException";
                    case TOO_MANY_REQUESTS_429 -> "TooManyRequestsException";
                    case INTERNAL_ERROR_500 -> "InternalServerException";
                    case UNAVAILABLE_503 -> "ServiceUnavailableException";
                };
                contentType = call.protocol() == Protocol.JSON ? "application/x-amz-json-1.1" : "application/json";
                body = "{\"__type\":\"" + code + "\",\"message\":\"" + message(fault) + "\"}";
                exchange.getResponseHeaders().set("x-amzn-ErrorType", code);
                exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
                // SQS's JSON protocol also names the query-compatible code.
                exchange.getResponseHeaders().set("x-amzn-query-error", code + ";" + (fault.status >= 500 ? "Receiver" : "Sender"));
            }
            case QUERY -> {
                code = switch (fault) {
                    case THROTTLED_400, TOO_MANY_REQUESTS_429 -> "Throttling";
                    case INTERNAL_ERROR_500 -> "InternalFailure";
                    case UNAVAILABLE_503 -> "ServiceUnavailable";
                };
                contentType = "text/xml";
                body = "<ErrorResponse><Error><Type>" + (fault.status >= 500 ? "Receiver" : "Sender") + "</Type><Code>" + code
                        + "</Code><Message>" + message(fault) + "</Message></Error><RequestId>" + requestId + "</RequestId></ErrorResponse>";
                exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
            }
            default -> {
                code = switch (fault) {
                    case THROTTLED_400, TOO_MANY_REQUESTS_429, UNAVAILABLE_503 -> "SlowDown";
                    case INTERNAL_ERROR_500 -> "InternalError";
                };
                contentType = "application/xml";
                body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>" + message(fault)
                        + "</Message><RequestId>" + requestId + "</RequestId></Error>";
                exchange.getResponseHeaders().set("x-amz-request-id", requestId);
            }
        }
        // S3 throttles with 503 SlowDown; a 400 or 429 SlowDown would not be S3's.
        int status = call.protocol() == Protocol.S3 && fault != Fault.INTERNAL_ERROR_500 ? 503 : fault.status;
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        if (exchange.getRequestMethod().equalsIgnoreCase("HEAD")) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String message(Fault fault) {
        return switch (fault) {
            case THROTTLED_400, TOO_MANY_REQUESTS_429 -> "Rate exceeded (injected by the AWS fault proxy)";
            case INTERNAL_ERROR_500 -> "We encountered an internal error. Please try again. (injected by the AWS fault proxy)";
            case UNAVAILABLE_503 -> "Service unavailable (injected by the AWS fault proxy)";
        };
    }

    private enum Protocol { JSON, REST_JSON, QUERY, S3 }

    /** What a request is: its protocol, service, operation and the parameters worth recording. */
    private record Call(Protocol protocol, String service, String operation, Map<String, String> parameters) {

        static Call of(HttpExchange exchange, byte[] body) {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String contentType = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")).toLowerCase(Locale.ROOT);
            String service = signedService(exchange.getRequestHeaders().getFirst("Authorization"));
            if (target != null) {
                // AWSGlue.CreateTable, AmazonSQS.SendMessage
                int dot = target.lastIndexOf('.');
                return new Call(Protocol.JSON, service, dot < 0 ? target : target.substring(dot + 1), Map.of());
            }
            if (contentType.startsWith("application/x-www-form-urlencoded")) {
                Map<String, String> form = form(new String(body, StandardCharsets.UTF_8));
                Map<String, String> recorded = new LinkedHashMap<>();
                form.forEach((name, value) -> {
                    if (RECORDED_PARAMETERS.contains(name)) {
                        recorded.put(name, value);
                    }
                });
                return new Call(Protocol.QUERY, service, form.getOrDefault("Action", "?"), recorded);
            }
            String path = exchange.getRequestURI().getPath();
            if (!service.equals("s3") && contentType.contains("json")) {
                return new Call(Protocol.REST_JSON, service, path.substring(path.lastIndexOf('/') + 1), Map.of());
            }
            boolean copy = exchange.getRequestHeaders().containsKey("x-amz-copy-source");
            return new Call(Protocol.S3, "s3", exchange.getRequestMethod() + (copy ? " copy" : ""), Map.of());
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
}
