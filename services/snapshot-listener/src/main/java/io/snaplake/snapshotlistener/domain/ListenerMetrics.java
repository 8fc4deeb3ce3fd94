package io.snaplake.snapshotlistener.domain;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.snaplake.events.DiscoverySource;
import java.util.Locale;

/** The listener's counters, exported to Prometheus as snaplake_listener_*. */
public final class ListenerMetrics {

    /** Why a well-formed message was acknowledged without an event. */
    public enum IgnoreReason {
        /** The snapshot's cluster or instance is not one of the configured sources. */
        SOURCE_NOT_CONFIGURED,
        /** An RDS event other than an automated snapshot's creation. */
        NOT_AN_AUTOMATED_SNAPSHOT_EVENT
    }

    private final MeterRegistry registry;

    public ListenerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void eventReceived() {
        registry.counter("snaplake.listener.events.received").increment();
    }

    public void eventIgnored(IgnoreReason reason) {
        registry.counter("snaplake.listener.events.ignored", "reason", tag(reason)).increment();
    }

    public void eventRejected(Rejection.Code code) {
        registry.counter("snaplake.listener.events.rejected", "reason", tag(code)).increment();
    }

    /** A message whose handling failed; it stays on the queue for another attempt. */
    public void eventFailed() {
        registry.counter("snaplake.listener.events.failed").increment();
    }

    public void snapshotEmitted(DiscoverySource discoveredBy) {
        registry.counter("snaplake.listener.snapshots.emitted", "discovered_by", tag(discoveredBy)).increment();
    }

    public void snapshotAlreadyKnown(DiscoverySource discoveredBy) {
        registry.counter("snaplake.listener.snapshots.already_known", "discovered_by", tag(discoveredBy)).increment();
    }

    public void sweepRun(boolean succeeded) {
        registry.counter("snaplake.listener.sweep.runs", "outcome", succeeded ? "success" : "failure").increment();
    }

    public void sweepFound(int snapshots) {
        registry.counter("snaplake.listener.sweep.snapshots.found").increment(snapshots);
    }

    public void unreadableHistoryRecord() {
        registry.counter("snaplake.listener.history.unreadable").increment();
    }

    /** For tests and the history loader: the value of one counter. */
    public double count(String name, String... tags) {
        Counter counter = registry.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    private static String tag(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
