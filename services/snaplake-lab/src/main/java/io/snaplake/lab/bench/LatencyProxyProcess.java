package io.snaplake.lab.bench;

import io.snaplake.lab.SnaplakeLab;
import io.snaplake.testkit.ChildProcess;
import io.snaplake.testkit.JavaRuntimes;
import io.snaplake.testkit.LocalInfraException;
import io.snaplake.testkit.Readiness;
import io.snaplake.testkit.proxy.FaultProxy;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The copy benchmark's latency proxy ({@link FaultProxy}, latency only) in a JVM of its own, started with this
 * CLI's own class path ({@code snaplake bench latency-proxy}). In the benchmark's JVM its threads' CPU could be
 * subtracted, but not what they cost the JVM's shared threads: the GC collecting their allocations and the JIT
 * compiling their code, which were charged to the client. As its own process, like S3Proxy and moto, it is
 * simply not part of the client's process CPU, as the AWS CLI's figure never included it.
 */
final class LatencyProxyProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(1);
    private static final Pattern READY = Pattern.compile(Pattern.quote(LatencyProxyCommand.READY_PREFIX) + "(\\S+)");

    private final ChildProcess process;
    private final URI endpoint;

    private LatencyProxyProcess(ChildProcess process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    /** Starts the proxy in front of {@code upstream} and waits until it says it accepts connections. */
    static LatencyProxyProcess start(URI upstream, Duration latency) {
        List<String> command = new ArrayList<>();
        command.add(JavaRuntimes.current().toString());
        // A small JVM: the proxy keeps little in memory; its CPU is outside the client's figure, but on the same cores.
        command.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC"));
        command.addAll(thisCli());
        command.addAll(List.of("bench", "latency-proxy", "--upstream", upstream.toString(),
                "--latency-ms", Long.toString(latency.toMillis())));
        ChildProcess process = ChildProcess.builder("latency-proxy", command).start();
        try {
            process.awaitReady(Readiness.logLine(READY), START_TIMEOUT);
        } catch (LocalInfraException e) {
            process.close();
            throw new IllegalStateException("the latency proxy did not start (" + command + "): " + e.getMessage(), e);
        }
        Matcher ready = READY.matcher(process.findLogLine(READY).orElseThrow());
        if (!ready.find()) {
            throw new IllegalStateException("the latency proxy's ready line names no endpoint");
        }
        return new LatencyProxyProcess(process, URI.create(ready.group(1)));
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

    /** Stops the proxy's JVM (were this one to die first, the proxy would end with its standard input). */
    @Override
    public void close() {
        process.close();
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
}
