package io.snaplake.lab.bench;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts a client's requests by operation and how long each took on the wire (sent to answered: the proxy's
 * added latency, the wait in moto's one-at-a-time queue, moto's own work), so a benchmark shows where its time goes.
 */
final class RequestTally implements ExecutionInterceptor {

    private static final ExecutionAttribute<Long> SENT = new ExecutionAttribute<>("bench.sent");

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> nanos = new ConcurrentHashMap<>();

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        attributes.putAttribute(SENT, System.nanoTime());
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        Long sent = attributes.getAttribute(SENT);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        counts.computeIfAbsent(operation, o -> new LongAdder()).increment();
        if (sent != null) {
            nanos.computeIfAbsent(operation, o -> new LongAdder()).add(System.nanoTime() - sent);
        }
    }

    void reset() {
        counts.clear();
        nanos.clear();
    }

    /** e.g. {@code GetObject 2000 (mean 412 ms), ListObjectsV2 500 (mean 390 ms)} */
    String summary() {
        return new TreeMap<>(counts).entrySet().stream().map(entry -> String.format(Locale.ROOT, "%s %d (mean %.0f ms)", entry.getKey(),
                entry.getValue().sum(), nanos.getOrDefault(entry.getKey(), new LongAdder()).sum() / 1e6 / Math.max(1, entry.getValue().sum())))
                .collect(Collectors.joining(", "));
    }
}
