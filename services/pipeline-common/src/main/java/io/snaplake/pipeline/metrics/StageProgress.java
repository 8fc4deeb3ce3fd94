package io.snaplake.pipeline.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.snaplake.events.PipelineFailure;
import io.snaplake.events.SnapshotRef;
import io.snaplake.pipeline.Stage;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a stage tells Prometheus about its progress, per cluster: the last snapshot day it completed (a
 * timestamp gauge, the day's start in seconds since the epoch, UTC), how many snapshots it completed, and
 * the terminal failures it emitted. The freshness and failure alert rules (k8s/monitoring) read these.
 *
 * <p>The gauge only moves forward: a replay of an older day completes that day again but does not make the
 * cluster look less fresh. It lives in this replica's memory, so it is absent after a restart until the
 * stage completes a day again; the rules read it through {@code max_over_time(...[3d])}, which keeps the
 * last value from before the restart, instead of restoring it here.
 */
public final class StageProgress {

    /** Prometheus: snaplake_stage_last_completed_day_seconds{stage, cluster}. */
    public static final String LAST_COMPLETED_DAY = "snaplake.stage.last.completed.day";
    /** Prometheus: snaplake_stage_completed_total{stage, cluster}. */
    public static final String COMPLETED = "snaplake.stage.completed";
    /** Prometheus: snaplake_stage_failures_total{stage, cluster, reason}. */
    public static final String FAILURES = "snaplake.stage.failures";

    private final MeterRegistry registry;
    private final Stage stage;
    private final Map<String, AtomicLong> lastDayByCluster = new ConcurrentHashMap<>();

    public StageProgress(MeterRegistry registry, Stage stage) {
        this.registry = registry;
        this.stage = stage;
    }

    public Stage stage() {
        return stage;
    }

    /** The stage emitted its success event for the snapshot (its day is done as far as this stage goes). */
    public void completed(SnapshotRef snapshot) {
        String cluster = snapshot.getClusterId();
        long day = daySeconds(snapshot.getSnapshotDate());
        lastDayByCluster.computeIfAbsent(cluster, this::registerDayGauge).accumulateAndGet(day, Math::max);
        Counter.builder(COMPLETED).description("Snapshots this stage completed (success event emitted)")
                .tag("stage", stage.serviceName()).tag("cluster", cluster).register(registry).increment();
    }

    /** The stage emitted a PipelineFailure on its failure topic. */
    public void failed(PipelineFailure failure) {
        Counter.builder(FAILURES).description("PipelineFailure events this stage emitted on its failure topic")
                .tag("stage", stage.serviceName()).tag("cluster", failure.getSnapshot().getClusterId())
                .tag("reason", failure.getReason()).register(registry).increment();
    }

    private AtomicLong registerDayGauge(String cluster) {
        AtomicLong day = new AtomicLong();
        Gauge.builder(LAST_COMPLETED_DAY, day, AtomicLong::get).baseUnit("seconds")
                .description("Start (UTC) of the last snapshot day this stage completed for the cluster")
                .tag("stage", stage.serviceName()).tag("cluster", cluster).register(registry);
        return day;
    }

    static long daySeconds(LocalDate day) {
        return day.atStartOfDay().toEpochSecond(ZoneOffset.UTC);
    }
}
