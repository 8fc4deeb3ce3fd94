package io.snaplake.testkit;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

/**
 * S3Proxy (gaul/s3proxy, from Maven Central) as a child process on a free loopback port: an
 * S3-compatible server in Java with an in-memory blob store ({@code jclouds.provider=transient}) and no
 * authorization (any credentials, signed or not, are accepted). Unlike moto it serves requests on many
 * threads, so it answers thousands of small requests per second where moto answers hundreds: the copy
 * benchmark uses it to measure the copier rather than the emulator. It runs as its own process so its
 * CPU is not counted as the client's. It emulates S3's object API only (no other AWS service).
 *
 * <p>The runnable jar ({@code jar-with-dependencies}) is copied by test-kit's build into its
 * {@code target/s3proxy}; the system property {@value #JAR_PROPERTY} or the environment variable
 * {@value #JAR_ENV} points elsewhere.
 */
public final class S3ProxyServer implements AutoCloseable {

    public static final String JAR_PROPERTY = "snaplake.s3proxy.jar";
    public static final String JAR_ENV = "SNAPLAKE_S3PROXY_JAR";
    private static final int MINIMUM_JAVA = 17;
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

    private final URI endpoint;
    private final ChildProcess process;

    private S3ProxyServer(URI endpoint, ChildProcess process) {
        this.endpoint = endpoint;
        this.process = process;
    }

    /** Starts S3Proxy on a free loopback port and waits until it answers. */
    public static S3ProxyServer start() {
        Path jar = locateJar();
        int port = FreePorts.next();
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        Path configuration = writeConfiguration(endpoint);
        List<String> command = List.of(
                JavaRuntimes.javaExecutable(MINIMUM_JAVA).toString(),
                "-Xmx1g",
                "-jar", jar.toString(),
                "--properties", configuration.toString());
        ChildProcess process = ChildProcess.builder("s3proxy", command).start();
        process.awaitReady(Readiness.http(endpoint), START_TIMEOUT);
        return new S3ProxyServer(endpoint, process);
    }

    /** Where S3 clients send requests (path-style), e.g. {@code http://127.0.0.1:41235}. */
    public URI endpoint() {
        return endpoint;
    }

    public Path logFile() {
        return process.logFile();
    }

    @Override
    public void close() {
        process.close();
    }

    private static Path writeConfiguration(URI endpoint) {
        Properties properties = new Properties();
        properties.setProperty("s3proxy.endpoint", endpoint.toString());
        properties.setProperty("s3proxy.authorization", "none");
        properties.setProperty("jclouds.provider", "transient");
        properties.setProperty("jclouds.identity", "test");
        properties.setProperty("jclouds.credential", "test");
        // Jetty's pool: enough threads for every connection a benchmark client keeps open (128 by default).
        properties.setProperty("s3proxy.jetty.max-threads", "256");
        try {
            Path file = Files.createTempFile("snaplake-s3proxy-", ".conf");
            file.toFile().deleteOnExit();
            try (var writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                properties.store(writer, "snaplake: S3Proxy with an in-memory blob store");
            }
            return file;
        } catch (IOException e) {
            throw new LocalInfraException("Could not write S3Proxy's configuration: " + e.getMessage(), e);
        }
    }

    private static Path locateJar() {
        Path jar = Paths.get(TestKitSettings.configured(JAR_PROPERTY, JAR_ENV)
                .orElseGet(() -> TestKitSettings.built("s3proxy.properties", "s3proxy.jar")));
        if (!Files.isRegularFile(jar)) {
            throw new LocalInfraException("S3Proxy's jar not found at " + jar + ": build test-kit once "
                    + "(./mvnw -pl services/test-kit package -DskipTests copies it from Maven Central), or set "
                    + JAR_PROPERTY + " / " + JAR_ENV + " to an s3proxy-<version>-jar-with-dependencies.jar");
        }
        return jar;
    }
}
