package io.snaplake.snapshotlistener.config;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.snaplake.events.DiscoverySource;
import io.snaplake.snapshotlistener.domain.ListenerMetrics;
import io.snaplake.snapshotlistener.domain.Rejection;
import java.util.Locale;

/** {@link ListenerMetrics} as Micrometer counters, exported to Prometheus as snaplake_listener_*. */
public final class MicrometerListenerMetrics implements ListenerMetrics {

    private final MeterRegistry registry;

    public MicrometerListenerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void eventReceived() {
        registry.counter("snaplake.listener.events.received").increment();
    }

    @Override
    public void eventIgnored(IgnoreReason reason) {
        registry.counter("snaplake.listener.events.ignored", "reason", tag(reason)).increment();
    }

    @Override
    public void eventRejected(Rejection.Code code) {
        registry.counter("snaplake.listener.events.rejected", "reason", tag(code)).increment();
    }

    @Override
    public void eventFailed() {
        registry.counter("snaplake.listener.events.failed").increment();
    }

    @Override
    public void snapshotEmitted(DiscoverySource discoveredBy) {
        registry.counter("snaplake.listener.snapshots.emitted", "discovered_by", tag(discoveredBy)).increment();
    }

    @Override
    public void snapshotAlreadyKnown(DiscoverySource discoveredBy) {
        registry.counter("snaplake.listener.snapshots.already_known", "discovered_by", tag(discoveredBy)).increment();
    }

    @Override
    public void sweepRun(boolean succeeded) {
        registry.counter("snaplake.listener.sweep.runs", "outcome", succeeded ? "success" : "failure").increment();
    }

    @Override
    public void sweepFound(int snapshots) {
        registry.counter("snaplake.listener.sweep.snapshots.found").increment(snapshots);
    }

    @Override
    public void unreadableHistoryRecord() {
        registry.counter("snaplake.listener.history.unreadable").increment();
    }

    /** The value of one counter, 0 when it never counted: what the tests read. */
    public double count(String name, String... tags) {
        Counter counter = registry.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    private static String tag(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
