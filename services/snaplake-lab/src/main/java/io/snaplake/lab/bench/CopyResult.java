package io.snaplake.lab.bench;

import java.time.Duration;

/**
 * One engine's copy in the copy benchmark, and the figures it prints.
 *
 * @param endpoint the S3 server ({@code moto}, {@code S3Proxy}), or the model
 * @param scenario the server as it is, or behind the latency proxy (e.g. {@code 100 ms})
 * @param engine   {@code copier}, {@code aws-cli}, {@code sequential} or {@code CopyObject loop}
 */
record CopyResult(String endpoint, String scenario, String engine, long objects, Duration elapsed, double cpuSeconds, String note) {

    double seconds() {
        return elapsed.toNanos() / 1e9;
    }

    double objectsPerSecond() {
        return objects / seconds();
    }

    double cpuPerThousand() {
        return cpuSeconds * 1000.0 / objects;
    }
}
