package io.snaplake.exportscheduler.aws;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * A small test double of the RDS API's export actions, speaking the real wire protocol (AWS Query:
 * form-encoded requests, XML responses and XML error bodies), so that the real SDK client parses what it
 * answers. It exists because moto cannot show what matters here: it enforces no export limit (so never
 * answers ExportTaskLimitReachedFault), completes every export at once, and ignores filters.
 *
 * <p>What it does, and nothing more: StartExportTask creates a task (STARTING, then IN_PROGRESS at the
 * first describe) unless the id exists (ExportTaskAlreadyExists) or as many tasks as the limit are
 * STARTING or IN_PROGRESS (ExportTaskLimitReachedFault, HTTP 400, as AWS). DescribeExportTasks honours
 * ExportTaskIdentifier and the status filter (lowercase values, as AWS). Tasks end only when a test says
 * so ({@link #complete}, {@link #fail}), so long exports are simply exports nobody completed yet. Errors
 * can be scripted per action ({@link #failNext}).
 */
public final class RdsApiDouble implements AutoCloseable {

    private static final String NAMESPACE = "http://rds.amazonaws.com/doc/2014-10-31/";

    private final HttpServer server;
    private final int limit;
    private final Map<String, Task> tasks = new LinkedHashMap<>();
    private final Map<String, Deque<ScriptedError>> scripted = new HashMap<>();
    private final Map<String, AtomicInteger> startCalls = new HashMap<>();

    public RdsApiDouble(int limit) {
        this.limit = limit;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the RDS API double", e);
        }
        server.setExecutor(Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "rds-api-double");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The next call of {@code action} answers this error. */
    public synchronized void failNext(String action, int httpStatus, String code, String message) {
        scripted.computeIfAbsent(action, a -> new ArrayDeque<>()).add(new ScriptedError(httpStatus, code, message));
    }

    public synchronized void complete(String taskId, int extractedGb, String warning) {
        Task task = task(taskId);
        task.status = "COMPLETE";
        task.percent = 100;
        task.extractedGb = extractedGb;
        task.warning = warning;
        task.end = Instant.now();
    }

    /** Ends the task as FAILED (or CANCELED) with this cause. */
    public synchronized void fail(String taskId, String status, String cause) {
        Task task = task(taskId);
        task.status = status;
        task.failureCause = cause;
        task.end = Instant.now();
    }

    public synchronized void progress(String taskId, int percent) {
        task(taskId).percent = percent;
    }

    /** Completes every task that holds a slot. */
    public synchronized List<String> completeAllRunning() {
        List<String> done = new ArrayList<>();
        tasks.values().stream().filter(Task::holdsASlot).forEach(task -> done.add(task.id));
        done.forEach(id -> complete(id, 3, null));
        return done;
    }

    public synchronized List<String> taskIds() {
        return List.copyOf(tasks.keySet());
    }

    public synchronized List<String> runningTaskIds() {
        return tasks.values().stream().filter(Task::holdsASlot).map(task -> task.id).toList();
    }

    public synchronized Map<String, String> sourceArnByTaskId() {
        return tasks.values().stream().collect(Collectors.toMap(task -> task.id, task -> task.sourceArn, (a, b) -> a, LinkedHashMap::new));
    }

    /** How many times StartExportTask was called with this id (answered or refused). */
    public synchronized int startCalls(String taskId) {
        return startCalls.getOrDefault(taskId, new AtomicInteger()).get();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private Task task(String taskId) {
        Task task = tasks.get(taskId);
        if (task == null) {
            throw new IllegalArgumentException("no export task " + taskId + "; tasks: " + tasks.keySet());
        }
        return task;
    }

    private void handle(HttpExchange exchange) throws IOException {
        Map<String, String> params = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        Response response;
        synchronized (this) {
            response = answer(params);
        }
        byte[] body = response.xml.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/xml");
        exchange.getResponseHeaders().add("x-amzn-RequestId", UUID.randomUUID().toString());
        exchange.sendResponseHeaders(response.status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private Response answer(Map<String, String> params) {
        String action = params.getOrDefault("Action", "");
        if (action.equals("StartExportTask")) {
            startCalls.computeIfAbsent(params.get("ExportTaskIdentifier"), id -> new AtomicInteger()).incrementAndGet();
        }
        Deque<ScriptedError> errors = scripted.get(action);
        if (errors != null && !errors.isEmpty()) {
            ScriptedError error = errors.poll();
            return error(error.status, error.code, error.message);
        }
        return switch (action) {
            case "StartExportTask" -> start(params);
            case "DescribeExportTasks" -> describe(params);
            default -> error(400, "InvalidAction", "The RDS API double does not implement " + action);
        };
    }

    private Response start(Map<String, String> params) {
        String id = params.get("ExportTaskIdentifier");
        if (tasks.containsKey(id)) {
            return error(400, "ExportTaskAlreadyExists",
                    "Cannot start export task because a task with the identifier " + id + " already exists.");
        }
        if (tasks.values().stream().filter(Task::holdsASlot).count() >= limit) {
            return error(400, "ExportTaskLimitReachedFault", "You have reached the limit of " + limit + " concurrent export tasks");
        }
        Task task = new Task(id, params.get("SourceArn"), params.get("S3BucketName"), params.getOrDefault("S3Prefix", ""),
                params.get("IamRoleArn"), params.get("KmsKeyId"));
        tasks.put(id, task);
        return ok("StartExportTask", task.xml());
    }

    private Response describe(Map<String, String> params) {
        String id = params.get("ExportTaskIdentifier");
        if (id != null && !tasks.containsKey(id)) {
            return error(404, "ExportTaskNotFound", "Cannot find export task with identifier " + id);
        }
        List<String> statuses = new ArrayList<>();
        for (int f = 1; params.containsKey("Filters.Filter." + f + ".Name"); f++) {
            if (params.get("Filters.Filter." + f + ".Name").equals("status")) {
                for (int v = 1; params.containsKey("Filters.Filter." + f + ".Values.Value." + v); v++) {
                    statuses.add(params.get("Filters.Filter." + f + ".Values.Value." + v));
                }
            }
        }
        StringBuilder list = new StringBuilder("<ExportTasks>");
        for (Task task : tasks.values()) {
            if ((id == null || task.id.equals(id)) && (statuses.isEmpty() || statuses.contains(task.status.toLowerCase()))) {
                list.append("<ExportTask>").append(task.xml()).append("</ExportTask>");
            }
            if (task.status.equals("STARTING")) {
                task.status = "IN_PROGRESS";
            }
        }
        return ok("DescribeExportTasks", list.append("</ExportTasks>").toString());
    }

    private static Response ok(String action, String result) {
        return new Response(200, "<" + action + "Response xmlns=\"" + NAMESPACE + "\"><" + action + "Result>" + result
                + "</" + action + "Result><ResponseMetadata><RequestId>" + UUID.randomUUID()
                + "</RequestId></ResponseMetadata></" + action + "Response>");
    }

    private static Response error(int status, String code, String message) {
        return new Response(status, "<ErrorResponse xmlns=\"" + NAMESPACE + "\"><Error><Type>"
                + (status >= 500 ? "Receiver" : "Sender") + "</Type><Code>" + code + "</Code><Message>" + escape(message)
                + "</Message></Error><RequestId>" + UUID.randomUUID() + "</RequestId></ErrorResponse>");
    }

    private static Map<String, String> form(String body) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (!pair.isEmpty()) {
                String[] parts = pair.split("=", 2);
                params.put(URLDecoder.decode(parts[0], StandardCharsets.UTF_8),
                        parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "");
            }
        }
        return params;
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private record Response(int status, String xml) {
    }

    private record ScriptedError(int status, String code, String message) {
    }

    private static final class Task {
        final String id;
        final String sourceArn;
        final String bucket;
        final String prefix;
        final String role;
        final String kmsKey;
        final Instant start = Instant.now();
        String status = "STARTING";
        int percent;
        Integer extractedGb;
        String failureCause;
        String warning;
        Instant end;

        Task(String id, String sourceArn, String bucket, String prefix, String role, String kmsKey) {
            this.id = id;
            this.sourceArn = sourceArn;
            this.bucket = bucket;
            this.prefix = prefix;
            this.role = role;
            this.kmsKey = kmsKey;
        }

        boolean holdsASlot() {
            return status.equals("STARTING") || status.equals("IN_PROGRESS");
        }

        String xml() {
            StringBuilder xml = new StringBuilder()
                    .append("<ExportTaskIdentifier>").append(id).append("</ExportTaskIdentifier>")
                    .append("<SourceArn>").append(sourceArn).append("</SourceArn>")
                    .append("<S3Bucket>").append(bucket).append("</S3Bucket>")
                    .append("<S3Prefix>").append(prefix).append("</S3Prefix>")
                    .append("<IamRoleArn>").append(role).append("</IamRoleArn>")
                    .append("<KmsKeyId>").append(kmsKey).append("</KmsKeyId>")
                    .append("<Status>").append(status).append("</Status>")
                    .append("<PercentProgress>").append(percent).append("</PercentProgress>")
                    .append("<TaskStartTime>").append(start).append("</TaskStartTime>")
                    .append("<SourceType>CLUSTER</SourceType>");
            if (end != null) {
                xml.append("<TaskEndTime>").append(end).append("</TaskEndTime>");
            }
            if (extractedGb != null) {
                xml.append("<TotalExtractedDataInGB>").append(extractedGb).append("</TotalExtractedDataInGB>");
            }
            if (failureCause != null) {
                xml.append("<FailureCause>").append(escape(failureCause)).append("</FailureCause>");
            }
            if (warning != null) {
                xml.append("<WarningMessage>").append(escape(warning)).append("</WarningMessage>");
            }
            return xml.toString();
        }
    }
}
