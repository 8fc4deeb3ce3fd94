package io.snaplake.snapshotlistener.domain;

import io.snaplake.events.DiscoverySource;
import io.snaplake.events.SnapshotSourceType;
import io.snaplake.snapshotlistener.domain.SnapshotCatalog.CatalogSnapshot;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RDS delivers events on a best-effort basis, so some are never seen. The sweep asks RDS for the
 * automated snapshots of the configured sources taken within the lookback and announces those the
 * pipeline has not seen.
 */
public final class ReconciliationSweep {

    private static final Logger log = LoggerFactory.getLogger(ReconciliationSweep.class);

    private final SnapshotCatalog catalog;
    private final ConfiguredSources sources;
    private final SnapshotEmitter emitter;
    private final ListenerMetrics metrics;
    private final Duration lookback;
    private final Clock clock;

    public ReconciliationSweep(SnapshotCatalog catalog, ConfiguredSources sources, SnapshotEmitter emitter,
            ListenerMetrics metrics, Duration lookback, Clock clock) {
        this.catalog = catalog;
        this.sources = sources;
        this.emitter = emitter;
        this.metrics = metrics;
        this.lookback = lookback;
        this.clock = clock;
    }

    /** One pass; returns what it did for each snapshot it found. */
    public List<EmitResult> run() {
        boolean succeeded = false;
        try {
            List<RdsSnapshot> found = recentSnapshotsOfConfiguredSources();
            metrics.sweepFound(found.size());
            List<EmitResult> results = found.stream().map(s -> emitter.emit(s, DiscoverySource.SWEEP)).toList();
            long emitted = results.stream().filter(r -> r.outcome() == EmitResult.Outcome.EMITTED).count();
            log.info("Sweep found {} automated snapshots of configured sources since {}; {} had not been announced",
                    found.size(), since(), emitted);
            succeeded = true;
            return results;
        } finally {
            metrics.sweepRun(succeeded);
        }
    }

    private List<RdsSnapshot> recentSnapshotsOfConfiguredSources() {
        List<CatalogSnapshot> candidates = new ArrayList<>();
        for (SnapshotSourceType type : SnapshotSourceType.values()) {
            if (!sources.of(type).isEmpty()) {
                candidates.addAll(catalog.automatedSnapshots(type));
            }
        }
        Instant since = since();
        return candidates.stream()
                // A snapshot still being taken is announced by the next sweep (or its event) once available.
                .filter(CatalogSnapshot::available)
                .map(CatalogSnapshot::snapshot)
                .filter(sources::includes)
                .filter(s -> s.createdAt() != null && !s.createdAt().isBefore(since))
                .toList();
    }

    private Instant since() {
        return clock.instant().minus(lookback);
    }
}
