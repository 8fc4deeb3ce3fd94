package io.snaplake.exportscheduler.config;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.snaplake.exportscheduler.domain.ExportMetrics;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The scheduler's {@link ExportMetrics} as Prometheus metrics: slots, queue, progress per cluster, outcomes. */
public final class MicrometerExportMetrics implements ExportMetrics {

    private final MeterRegistry registry;
    private final Counter started;
    private final Counter completed;
    private final Counter failed;
    private final Counter limitReached;
    private final Counter restoreFailed;
    private final Counter expiryAtRisk;
    private final Counter stateExpired;
    private final Map<String, AtomicInteger> progressByCluster = new ConcurrentHashMap<>();

    public MicrometerExportMetrics(MeterRegistry registry) {
        this.registry = registry;
        started = counter("snaplake.exports.started", "Export tasks started or adopted");
        completed = counter("snaplake.exports.completed", "Export tasks that reached COMPLETE");
        failed = counter("snaplake.exports.failed", "Exports given up on (FAILED, CANCELED, refused)");
        limitReached = counter("snaplake.exports.limit.reached", "StartExportTask answers ExportTaskLimitReachedFault");
        expiryAtRisk = counter("snaplake.exports.expiry.at.risk",
                "Waiting snapshots predicted to get a slot only after their retention deletes them");
        stateExpired = counter("snaplake.exports.state.expired", "COMPLETED or FAILED export states deleted after the state retention");
        restoreFailed = counter("snaplake.exports.state.restore.failed",
                "Failed attempts to read back assigned partitions' export states (tried again)");
    }

    private Counter counter(String name, String description) {
        return Counter.builder(name).description(description).register(registry);
    }

    /**
     * Gauges on suppliers, which they hold strongly (a gauge holds an object weakly). The oldest waiting age is
     * restored with the export states after a restart (requestedAt is kept).
     */
    @Override
    public void watch(Queue queue) {
        Gauge.builder("snaplake.exports.oldest.waiting.age", queue::oldestWaitingSeconds).baseUnit("seconds")
                .description("How long the snapshot waiting longest for an export slot has waited (this replica), 0 if none").register(registry);
        Gauge.builder("snaplake.exports.waiting", queue::waiting).description("Snapshots waiting for an export slot (this replica)")
                .register(registry);
        Gauge.builder("snaplake.exports.in.progress", queue::inProgress).description("Exports this replica tracks in progress")
                .register(registry);
    }

    @Override
    public void progress(String clusterId, int percent) {
        progressByCluster.computeIfAbsent(clusterId, cluster -> {
            AtomicInteger value = new AtomicInteger();
            Gauge.builder("snaplake.export.progress.percent", value, AtomicInteger::get)
                    .description("PercentProgress of the cluster's latest export").tag("cluster", cluster).register(registry);
            return value;
        }).set(percent);
    }

    @Override
    public void started() {
        started.increment();
    }

    @Override
    public void completed() {
        completed.increment();
    }

    @Override
    public void failed() {
        failed.increment();
    }

    @Override
    public void limitReached() {
        limitReached.increment();
    }

    @Override
    public void expiryAtRisk() {
        expiryAtRisk.increment();
    }

    @Override
    public void stateExpired() {
        stateExpired.increment();
    }

    @Override
    public void restoreFailed() {
        restoreFailed.increment();
    }
}
