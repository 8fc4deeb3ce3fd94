package io.snaplake.lab.demo;

import io.snaplake.testkit.ChildProcess;
import io.snaplake.testkit.JavaRuntimes;
import io.snaplake.testkit.Readiness;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One snaplake service running as a child process from its executable jar, as it runs in production. */
public final class ServiceProcess implements AutoCloseable {

    private static final Pattern COUNT = Pattern.compile("\"statistic\":\"COUNT\",\"value\":([0-9.Ee+-]+)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final int port;
    private final ChildProcess process;

    private ServiceProcess(String name, int port, ChildProcess process) {
        this.name = name;
        this.port = port;
        this.process = process;
    }

    /** Starts {@code services/<name>/target/<name>-*-exec.jar} with the given environment on {@code port}. */
    static ServiceProcess start(Path repoRoot, String name, int port, Map<String, String> env, Path logDir)
            throws IOException {
        return start(repoRoot, name, port, env, logDir.resolve(name + ".log"), false);
    }

    /**
     * Starts one replica of a service (several run side by side in one consumer group, as Kubernetes scales
     * them); its output is appended to {@code log}, so that a replica started again keeps its earlier output.
     */
    public static ServiceProcess startReplica(Path repoRoot, String name, int port, Map<String, String> env, Path log)
            throws IOException {
        return start(repoRoot, name, port, env, log, true);
    }

    private static ServiceProcess start(Path repoRoot, String name, int port, Map<String, String> env, Path log,
            boolean append) throws IOException {
        Path jar = jar(repoRoot, name);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("missing " + jar + ": build with ./mvnw package -DskipTests");
        }
        Map<String, String> environment = new LinkedHashMap<>(env);
        environment.put("SERVER_PORT", Integer.toString(port));
        ChildProcess process = ChildProcess.builder(name, List.of(JavaRuntimes.current().toString(), "-Xmx384m",
                        "-XX:TieredStopAtLevel=1", "-jar", jar.toString()))
                .environment(environment).log(log, append).start();
        return new ServiceProcess(name, port, process);
    }

    /** Waits until the service's readiness probe answers UP; fails with the log's tail if it dies or times out. */
    public void awaitReady(Duration timeout) throws IOException, InterruptedException {
        URI probe = URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness");
        process.awaitReady(Readiness.http(probe, response -> response.statusCode() == 200 && response.body().contains("UP")),
                timeout);
    }

    /** The total of a counter in the service's actuator metrics (0 when it was never incremented). */
    double counter(String metric, String... tags) throws IOException, InterruptedException {
        StringBuilder uri = new StringBuilder("http://127.0.0.1:" + port + "/actuator/metrics/" + metric);
        for (int i = 0; i < tags.length; i++) {
            uri.append(i == 0 ? "?tag=" : "&tag=").append(tags[i]);
        }
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(uri.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 404) {
            return 0;
        }
        Matcher count = COUNT.matcher(response.body());
        if (response.statusCode() != 200 || !count.find()) {
            throw new IOException(name + ": unexpected answer for metric " + metric + ": " + response.body());
        }
        return Double.parseDouble(count.group(1));
    }

    public String name() {
        return name;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Where {@code services/<name>/target/<name>-*-exec.jar} would be: a stage is run only if its jar was built. */
    static boolean jarExists(Path repoRoot, String name) {
        return Files.isRegularFile(jar(repoRoot, name));
    }

    private static Path jar(Path repoRoot, String name) {
        return repoRoot.resolve("services").resolve(name).resolve("target").resolve(name + "-0.1.0-SNAPSHOT-exec.jar");
    }

    public int port() {
        return port;
    }

    public Path log() {
        return process.logFile();
    }

    public String logTail() {
        return process.logTail();
    }

    /** The process id, e.g. for a timeline of what was killed. */
    public long pid() {
        return process.pid();
    }

    /** Kills the process at once, without a shutdown (SIGKILL on Linux), as a node failure or an OOM kill does. */
    public void kill() throws InterruptedException {
        process.kill();
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
