package io.snaplake.lab.bench;

import io.snaplake.lab.SnaplakeLab;
import io.snaplake.rdsexportwriter.proxy.S3FaultProxy;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The copy benchmark's latency proxy ({@link S3FaultProxy}, latency only) in a JVM of its own, started with
 * this CLI's own class path ({@code snaplake bench latency-proxy}). In the benchmark's JVM its threads' CPU
 * could be subtracted, but not what they cost the JVM's shared threads: the GC collecting their allocations
 * and the JIT compiling their code, which were charged to the client. As its own process, like S3Proxy and
 * moto, it is simply not part of the client's process CPU, as the AWS CLI's figure never included it.
 */
final class LatencyProxyProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(1);

    private final Process process;
    private final URI endpoint;
    private final Path log;
    private final Thread shutdownHook;

    private LatencyProxyProcess(Process process, URI endpoint, Path log) {
        this.process = process;
        this.endpoint = endpoint;
        this.log = log;
        this.shutdownHook = new Thread(process::destroyForcibly, "stop-latency-proxy");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts the proxy in front of {@code upstream} and waits until it accepts connections. */
    static LatencyProxyProcess start(URI upstream, Duration latency) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        // A small JVM: the proxy keeps little in memory; its CPU is outside the client's figure, but on the same cores.
        command.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC"));
        command.addAll(thisCli());
        command.addAll(List.of("bench", "latency-proxy", "--upstream", upstream.toString(),
                "--latency-ms", Long.toString(latency.toMillis())));
        Path log;
        Process process;
        try {
            log = Files.createTempFile("snaplake-latency-proxy-", ".log");
            log.toFile().deleteOnExit();
            process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("could not start the latency proxy with " + command + ": " + e.getMessage(), e);
        }
        BufferedReader stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> firstLine = CompletableFuture.supplyAsync(() -> {
            try {
                return stdout.readLine();
            } catch (IOException e) {
                return null;
            }
        });
        String line;
        try {
            line = firstLine.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            line = null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            line = null;
        }
        if (line == null || !line.startsWith(LatencyProxyCommand.READY_PREFIX)) {
            process.destroyForcibly();
            throw new IllegalStateException("the latency proxy did not start within " + START_TIMEOUT + " (" + command
                    + "); it printed " + (line == null ? "nothing" : "'" + line + "'") + ", and on stderr:\n" + read(log));
        }
        return new LatencyProxyProcess(process, URI.create(line.substring(LatencyProxyCommand.READY_PREFIX.length()).trim()), log);
    }

    /** The proxy's endpoint: point S3 clients here instead of at the upstream. */
    URI endpoint() {
        return endpoint;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Ends the proxy by closing its standard input (its signal to stop), forcibly if it does not end soon. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException jvmAlreadyShuttingDown) {
            // the hook is running or has run
        }
    }

    /**
     * How to run this same CLI: from the executable jar (Spring Boot's launcher loads the classes from nested
     * jars, so only {@code -jar} finds them), or from a plain class path (tests, an IDE).
     */
    private static List<String> thisCli() {
        String classPath = System.getProperty("java.class.path");
        if (SnaplakeLab.class.getClassLoader() != ClassLoader.getSystemClassLoader()) {
            return List.of("-jar", classPath);
        }
        return List.of("-cp", classPath, SnaplakeLab.class.getName());
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
