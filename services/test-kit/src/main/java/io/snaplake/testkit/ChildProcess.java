package io.snaplake.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A process started by this JVM (a backend, a service, a helper JVM, a command): its output in a log file,
 * awaited until a {@link Readiness} condition holds (a dead process is reported at once, with its log), and
 * stopped with its descendants on {@link #close()} or at JVM exit, because the operating system does not stop
 * children when the JVM ends. {@link Builder#run} runs a command to its end instead.
 */
public final class ChildProcess implements AutoCloseable {

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

    /** A process named {@code name} (in logs and errors) running {@code command}. */
    public static Builder builder(String name, List<String> command) {
        return new Builder(name, command);
    }

    /**
     * Polls {@code readiness} until it holds. Between polls it waits on the process's exit, so a process that
     * dies is reported at once, with its log; one not ready in time is stopped.
     */
    public void awaitReady(Readiness readiness, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (!readiness.check().test(this)) {
            if (Instant.now().isAfter(deadline)) {
                close();
                throw new LocalInfraException(name + " was not ready (" + readiness.description() + ") within " + timeout
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

    /** The first line of the process's output that matches {@code line}. */
    public Optional<String> findLogLine(Pattern line) {
        try {
            return Files.readAllLines(logFile, StandardCharsets.UTF_8).stream().filter(l -> line.matcher(l).find()).findFirst();
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        }
    }

    public Path logFile() {
        return logFile;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** The last lines of the process's output. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** Kills the process at once, without a shutdown (SIGKILL on Linux), as a node failure or an OOM kill does. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        removeShutdownHook();
    }

    /** Stops the process and its descendants: asked first (SIGTERM), forced after 15 seconds. */
    @Override
    public void close() {
        stop();
        removeShutdownHook();
    }

    private void removeShutdownHook() {
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

    /** A command that ran to its end: its exit code and its output (standard output and error together). */
    public record Finished(int exitCode, String output) {
    }

    /** Where the process runs, with what environment, and where its output goes. */
    public static final class Builder {
        private final String name;
        private final List<String> command;
        private final Map<String, String> environment = new LinkedHashMap<>();
        private Path directory;
        private Path logFile;
        private boolean append;

        private Builder(String name, List<String> command) {
            this.name = name;
            this.command = List.copyOf(command);
        }

        public Builder directory(Path workingDirectory) {
            this.directory = workingDirectory;
            return this;
        }

        /** Variables added to this JVM's environment for the process. */
        public Builder environment(Map<String, String> variables) {
            environment.putAll(variables);
            return this;
        }

        /** Output to {@code file} (appended to it with {@code append}); by default a new file under {@code target/test-kit/}. */
        public Builder log(Path file, boolean appendToIt) {
            this.logFile = file;
            this.append = appendToIt;
            return this;
        }

        /** Starts the process; await it with {@link #awaitReady}. */
        public ChildProcess start() {
            Path output = logFile != null ? logFile : LogFiles.create(name);
            log.info("Starting {}: {} (log: {})", name, String.join(" ", command), output);
            return new ChildProcess(name, launch(output), output);
        }

        /** Runs the command to its end, or fails when it has not ended within {@code timeout}. */
        public Finished run(Duration timeout) {
            Path output = logFile != null ? logFile : LogFiles.create(name);
            Process process = launch(output);
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                    throw new LocalInfraException(name + " did not end within " + timeout + ": " + command);
                }
                return new Finished(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
                throw new LocalInfraException("Interrupted while running " + name, e);
            } catch (IOException e) {
                throw new LocalInfraException("Could not read the output of " + name + " in " + output, e);
            }
        }

        private Process launch(Path output) {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(append ? ProcessBuilder.Redirect.appendTo(output.toFile()) : ProcessBuilder.Redirect.to(output.toFile()));
            if (directory != null) {
                builder.directory(directory.toFile());
            }
            builder.environment().putAll(environment);
            try {
                return builder.start();
            } catch (IOException e) {
                throw new LocalInfraException("Could not start " + name + " with " + command + ": " + e.getMessage(), e);
            }
        }
    }
}
