package io.snaplake.exportscheduler;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** The scheduler's Prometheus metrics: slots, queue, progress per cluster, outcomes. */
final class ExportMetrics {

    private final MeterRegistry registry;
    private final Counter started;
    private final Counter completed;
    private final Counter failed;
    private final Counter limitReached;
    private final Counter restoreFailed;
    private final Counter expiryAtRisk;
    private final Counter stateExpired;
    private final Map<String, AtomicInteger> progressByCluster = new ConcurrentHashMap<>();

    /**
     * @param oldestWaitingAge seconds since the export waiting longest for a slot was requested, 0 while none
     *                         waits; restored with the export states after a restart (requestedAt is kept)
     */
    ExportMetrics(MeterRegistry registry, Supplier<Number> waiting, Supplier<Number> inProgress, Supplier<Number> oldestWaitingAge) {
        this.registry = registry;
        Gauge.builder("snaplake.exports.oldest.waiting.age", oldestWaitingAge).baseUnit("seconds")
                .description("How long the snapshot waiting longest for an export slot has waited (this replica), 0 if none").register(registry);
        Gauge.builder("snaplake.exports.waiting", waiting).description("Snapshots waiting for an export slot (this replica)").register(registry);
        Gauge.builder("snaplake.exports.in.progress", inProgress).description("Exports this replica tracks in progress").register(registry);
        started = Counter.builder("snaplake.exports.started").description("Export tasks started or adopted").register(registry);
        completed = Counter.builder("snaplake.exports.completed").description("Export tasks that reached COMPLETE").register(registry);
        failed = Counter.builder("snaplake.exports.failed").description("Exports given up on (FAILED, CANCELED, refused)").register(registry);
        limitReached = Counter.builder("snaplake.exports.limit.reached").description("StartExportTask answers ExportTaskLimitReachedFault").register(registry);
        expiryAtRisk = Counter.builder("snaplake.exports.expiry.at.risk").description("Waiting snapshots predicted to get a slot only after their retention deletes them").register(registry);
        stateExpired = Counter.builder("snaplake.exports.state.expired").description("COMPLETED or FAILED export states deleted after the state retention").register(registry);
        restoreFailed = Counter.builder("snaplake.exports.state.restore.failed").description("Failed attempts to read back assigned partitions' export states (tried again)").register(registry);
    }

    void progress(String clusterId, int percent) {
        progressByCluster.computeIfAbsent(clusterId, cluster -> {
            AtomicInteger value = new AtomicInteger();
            Gauge.builder("snaplake.export.progress.percent", value, AtomicInteger::get)
                    .description("PercentProgress of the cluster's latest export").tag("cluster", cluster).register(registry);
            return value;
        }).set(percent);
    }

    void started() {
        started.increment();
    }

    void completed() {
        completed.increment();
    }

    void failed() {
        failed.increment();
    }

    void limitReached() {
        limitReached.increment();
    }

    void expiryAtRisk() {
        expiryAtRisk.increment();
    }

    void stateExpired() {
        stateExpired.increment();
    }

    void restoreFailed() {
        restoreFailed.increment();
    }
}
