package io.snaplake.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Apicurio Registry (from its Maven Central distribution) as a child process on a loopback port, with
 * in-memory storage (H2, its default) and global compatibility BACKWARD (its own default is NONE).
 * Clients use its Confluent-compatible API at {@link #url()}. Runs on a Java 21+ runtime found on this
 * machine (see {@link JavaRuntimes}); the distribution is found by {@link ApicurioDistribution}.
 */
public final class ApicurioRegistry implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ApicurioRegistry.class);
    private static final int MINIMUM_JAVA = 21;
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final String CONFLUENT_API = "/apis/ccompat/v7";

    private final int port;
    private final List<String> command;
    private final Path home;
    private volatile ChildProcess process;

    private ApicurioRegistry(int port, List<String> command, Path home) {
        this.port = port;
        this.command = command;
        this.home = home;
    }

    /** Starts a registry on a free loopback port. */
    public static ApicurioRegistry start() {
        return start(FreePorts.next());
    }

    /** Starts a registry on the given loopback port (the demo uses a well-known one). */
    public static ApicurioRegistry start(int port) {
        return start(port, "jdbc:h2:mem:registry");
    }

    /**
     * Starts a registry on a free port whose schemas are kept in an H2 file under {@code dataDirectory}, so
     * that {@link #stop()} and {@link #restart()} keep every schema and its id, as a production registry
     * does across a restart (tests of outages).
     */
    public static ApicurioRegistry startPersistent(Path dataDirectory) {
        return start(FreePorts.next(), "jdbc:h2:file:" + dataDirectory.toAbsolutePath().resolve("registry"));
    }

    private static ApicurioRegistry start(int port, String datasourceUrl) {
        Path home = ApicurioDistribution.locate();
        Path java = JavaRuntimes.javaExecutable(MINIMUM_JAVA);
        List<String> command = List.of(
                java.toString(),
                // A registry for tests and demos: small heap, quick start, little CPU on a shared machine.
                "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port,
                // Health and metrics listen on a second port (9000 by default): keep it free and private
                // so several registries can run side by side.
                "-Dquarkus.management.host=127.0.0.1",
                "-Dquarkus.management.port=" + FreePorts.next(),
                "-Dapicurio.datasource.url=" + datasourceUrl,
                "-Dapicurio.datasource.jdbc.initial-size=2",
                "-Dapicurio.datasource.jdbc.min-size=2",
                "-jar", home.resolve("quarkus-run.jar").toString());
        ApicurioRegistry registry = new ApicurioRegistry(port, command, home);
        registry.launch();
        registry.setGlobalCompatibility("BACKWARD");
        return registry;
    }

    private void launch() {
        long started = System.nanoTime();
        process = ChildProcess.builder("apicurio-registry", command).directory(home).start();
        process.awaitReady(Readiness.http(URI.create(url() + "/subjects")), START_TIMEOUT);
        log.info("Apicurio Registry {} ready at {} in {} ms (log: {})", ApicurioDistribution.version(), url(),
                (System.nanoTime() - started) / 1_000_000, process.logFile());
    }

    /** Stops the registry process: from now on nothing listens on its port (an outage). */
    public synchronized void stop() {
        process.close();
    }

    /**
     * Starts the registry again on the same port, after {@link #stop()}, and waits until it answers. A
     * registry started with {@link #startPersistent} still has every schema under its id; an in-memory one
     * starts empty.
     */
    public synchronized void restart() {
        if (process.isAlive()) {
            throw new IllegalStateException("Apicurio Registry at " + url() + " is running: stop() it first");
        }
        launch();
    }

    /** Confluent Schema Registry compatible base URL, e.g. {@code http://127.0.0.1:41234/apis/ccompat/v7}. */
    public String url() {
        return "http://127.0.0.1:" + port + CONFLUENT_API;
    }

    public int port() {
        return port;
    }

    public Path logFile() {
        return process.logFile();
    }

    private void setGlobalCompatibility(String level) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url() + "/config"))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"compatibility\":\"" + level + "\"}"))
                .timeout(Duration.ofSeconds(30))
                .build();
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new LocalInfraException("Apicurio Registry refused compatibility " + level + ": HTTP "
                        + response.statusCode() + " " + response.body());
            }
        } catch (IOException e) {
            close();
            throw new LocalInfraException("Could not set compatibility " + level + " on " + url(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new LocalInfraException("Interrupted while configuring " + url(), e);
        }
    }

    @Override
    public void close() {
        process.close();
    }
}
