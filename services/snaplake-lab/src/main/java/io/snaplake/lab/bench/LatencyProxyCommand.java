package io.snaplake.lab.bench;

import io.snaplake.testkit.proxy.FaultProxy;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code snaplake bench latency-proxy}: runs {@link FaultProxy} (latency only, no faults) as a process of
 * its own, for {@link LatencyProxyProcess}. It prints {@value #READY_PREFIX}{@code <endpoint>} on one line once
 * it accepts connections, and ends when its standard input ends: the process that started it closes it, or
 * dies, so a proxy is never left behind.
 */
@Command(name = "latency-proxy", hidden = true, mixinStandardHelpOptions = true,
        description = "An HTTP proxy adding a fixed latency to every S3 request, until standard input ends (used by bench copy).")
public final class LatencyProxyCommand implements Callable<Integer> {

    static final String READY_PREFIX = "latency proxy listening on ";

    @Option(names = "--upstream", required = true, description = "The S3 endpoint to forward to, e.g. http://127.0.0.1:9000.")
    URI upstream;

    @Option(names = "--latency-ms", required = true, description = "Milliseconds added before every request is forwarded.")
    long latencyMs;

    @Override
    public Integer call() throws IOException {
        if (latencyMs < 0) {
            throw new IllegalArgumentException("--latency-ms must be 0 or more, not " + latencyMs);
        }
        if (upstream.getHost() == null || upstream.getPort() < 0) {
            throw new IllegalArgumentException("--upstream needs a host and a port, e.g. http://127.0.0.1:9000, not " + upstream);
        }
        try (FaultProxy proxy = FaultProxy.builder(upstream).latency(Duration.ofMillis(latencyMs)).start()) {
            System.out.println(READY_PREFIX + proxy.endpoint());
            System.out.flush();
            // Blocks until the parent closes the pipe (or exits); nothing is expected on it.
            System.in.transferTo(OutputStream.nullOutputStream());
        }
        return 0;
    }
}
