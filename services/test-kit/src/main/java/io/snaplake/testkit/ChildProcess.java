package io.snaplake.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A backend running as a child process of this JVM: started with its output in a log file, awaited
 * until it answers HTTP, and stopped (with its descendants) on {@link #close()} or at JVM exit, because
 * the operating system does not stop children when the JVM ends.
 */
final class ChildProcess implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ChildProcess.class);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(200);
    private static final int LOG_TAIL_LINES = 60;

    private final String name;
    private final Process process;
    private final Path logFile;
    private final Thread shutdownHook;

    private ChildProcess(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
        this.shutdownHook = new Thread(this::stop, "stop-" + name);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    static ChildProcess start(String name, List<String> command, Path workingDirectory) {
        Path logFile = LogFiles.create(name);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(logFile.toFile());
        if (workingDirectory != null) {
            builder.directory(workingDirectory.toFile());
        }
        try {
            log.info("Starting {}: {} (log: {})", name, String.join(" ", command), logFile);
            return new ChildProcess(name, builder.start(), logFile);
        } catch (IOException e) {
            throw new LocalInfraException("Could not start " + name + " with " + command + ": " + e.getMessage(), e);
        }
    }

    /**
     * Polls {@code readinessUrl} until it answers with a status below 500. Between polls it waits on
     * the process's exit, so a backend that dies is reported at once, with its log.
     */
    void awaitHttpReady(URI readinessUrl, Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            if (answers(http, readinessUrl)) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                close();
                throw new LocalInfraException(name + " did not answer " + readinessUrl + " within " + timeout
                        + ". Log " + logFile + " ends with:\n" + logTail());
            }
            try {
                process.onExit().get(POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
                throw new LocalInfraException(name + " exited with code " + process.exitValue()
                        + " before it was ready. Log " + logFile + " ends with:\n" + logTail());
            } catch (TimeoutException stillRunning) {
                // not ready yet: poll again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new LocalInfraException("Interrupted while waiting for " + name, e);
            } catch (ExecutionException e) {
                throw new LocalInfraException("Could not watch " + name, e);
            }
        }
    }

    private static boolean answers(HttpClient http, URI url) {
        try {
            HttpResponse<Void> response = http.send(
                    HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() < 500;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    Path logFile() {
        return logFile;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException jvmAlreadyShuttingDown) {
            // the hook is running or has run; nothing to remove
        }
    }

    private synchronized void stop() {
        if (!process.isAlive()) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
