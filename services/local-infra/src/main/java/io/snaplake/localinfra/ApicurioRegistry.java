package io.snaplake.localinfra;

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
    private final ChildProcess process;

    private ApicurioRegistry(int port, ChildProcess process) {
        this.port = port;
        this.process = process;
    }

    /** Starts a registry on a free loopback port. */
    public static ApicurioRegistry start() {
        return start(FreePorts.next());
    }

    /** Starts a registry on the given loopback port (the demo uses a well-known one). */
    public static ApicurioRegistry start(int port) {
        Path home = ApicurioDistribution.locate();
        Path java = JavaRuntimes.javaExecutable(MINIMUM_JAVA);
        long started = System.nanoTime();
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
                "-Dapicurio.datasource.jdbc.initial-size=2",
                "-Dapicurio.datasource.jdbc.min-size=2",
                "-jar", home.resolve("quarkus-run.jar").toString());
        ChildProcess process = ChildProcess.start("apicurio-registry", command, home);
        ApicurioRegistry registry = new ApicurioRegistry(port, process);
        process.awaitHttpReady(URI.create(registry.url() + "/subjects"), START_TIMEOUT);
        registry.setGlobalCompatibility("BACKWARD");
        log.info("Apicurio Registry {} ready at {} in {} ms (log: {})", ApicurioDistribution.version(), registry.url(),
                (System.nanoTime() - started) / 1_000_000, process.logFile());
        return registry;
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
