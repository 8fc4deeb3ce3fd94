package io.snaplake.snapshotlistener.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.snaplake.events.DiscoverySource;
import io.snaplake.events.SnapshotSourceType;
import io.snaplake.pipeline.EventMetadataFactory;
import io.snaplake.snapshotlistener.ExpectedEvents;
import io.snaplake.snapshotlistener.config.MicrometerListenerMetrics;
import io.snaplake.snapshotlistener.domain.SnapshotCatalog.CatalogSnapshot;
import io.snaplake.snapshotlistener.domain.SnapshotEmitterTest.RecordingPublisher;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Which snapshots the sweep announces, against an in-memory catalog (moto creates snapshots only "now",
 * so one older than the lookback cannot be made there; ReconciliationSweepAppTest covers the RDS API).
 */
class ReconciliationSweepTest {

    /** Where the sweep's clock stands: the lookback counts back from here. */
    private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");

    private final RecordingPublisher published = new RecordingPublisher();
    private final EmittedSnapshots emitted = new EmittedSnapshots();
    private final MicrometerListenerMetrics metrics = new MicrometerListenerMetrics(new SimpleMeterRegistry());
    private final InMemoryCatalog catalog = new InMemoryCatalog();

    {
        emitted.markCaughtUp();
    }

    @Test
    void announcesAvailableSnapshotsOfConfiguredSources_withinTheLookback() {
        CatalogSnapshot recent = snapshot("orders", "2026-11-19-03-10", "available");
        CatalogSnapshot tooOld = snapshot("orders", "2026-11-16-03-10", "available");
        CatalogSnapshot stillCreating = snapshot("orders", "2026-11-20-03-10", "creating");
        CatalogSnapshot otherCluster = snapshot("payments", "2026-11-19-03-10", "available");
        catalog.clusters = List.of(recent, tooOld, stillCreating, otherCluster);

        List<EmitResult> results = sweep(Duration.ofDays(3)).run();

        assertThat(results).extracting(EmitResult::snapshot).containsExactly(recent.snapshot());
        assertThat(published.events).containsExactly(
                ExpectedEvents.clusterSnapshotCreated("orders", "rds:orders-2026-11-19-03-10", LocalDate.of(2026, 11, 19),
                                Instant.parse("2026-11-19T03:10:07.123Z"))
                        .setAllocatedStorageGb(120)
                        .setDiscoveredBy(DiscoverySource.SWEEP)
                        .build());
        assertThat(metrics.count("snaplake.listener.sweep.snapshots.found")).isEqualTo(1);
        assertThat(metrics.count("snaplake.listener.sweep.runs", "outcome", "success")).isEqualTo(1);
    }

    @Test
    void announcesNothingTwice_acrossSweeps() {
        catalog.clusters = List.of(snapshot("orders", "2026-11-19-03-10", "available"));
        ReconciliationSweep sweep = sweep(Duration.ofDays(3));

        sweep.run();
        List<EmitResult> second = sweep.run();

        assertThat(second).extracting(EmitResult::outcome).containsExactly(EmitResult.Outcome.ALREADY_KNOWN);
        assertThat(published.events).hasSize(1);
    }

    @Test
    void countsAFailedRun_andAnnouncesWhatItCouldNot_nextTime() {
        catalog.clusters = List.of(snapshot("orders", "2026-11-19-03-10", "available"));
        published.failNext = true;
        ReconciliationSweep sweep = sweep(Duration.ofDays(3));

        assertThatThrownBy(sweep::run).isInstanceOf(SnapshotNotAnnouncedException.class);
        sweep.run();

        assertThat(metrics.count("snaplake.listener.sweep.runs", "outcome", "failure")).isEqualTo(1);
        assertThat(published.events).hasSize(1);
    }

    private ReconciliationSweep sweep(Duration lookback) {
        // The events are written at ExpectedEvents.NOW, whatever the sweep's clock says.
        SnapshotEmitter emitter = new SnapshotEmitter(emitted, published,
                new EventMetadataFactory("snapshot-listener", Clock.fixed(ExpectedEvents.NOW, ZoneOffset.UTC)), metrics);
        ConfiguredSources sources = new ConfiguredSources(SourcePatterns.of(List.of("orders")), SourcePatterns.of(List.of()));
        return new ReconciliationSweep(catalog, sources, emitter, metrics, lookback, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static CatalogSnapshot snapshot(String cluster, String timestamp, String status) {
        String id = "rds:" + cluster + "-" + timestamp;
        String[] t = timestamp.split("-");
        Instant createdAt = Instant.parse(t[0] + "-" + t[1] + "-" + t[2] + "T" + t[3] + ":" + t[4] + ":07.123Z");
        return new CatalogSnapshot(
                RdsSnapshot.described(ExpectedEvents.clusterSnapshotArn(id), cluster, createdAt, 120), status);
    }

    /** RDS's snapshots, in memory; {@code failNext} is thrown by the next lookup (RDS throttling, say). */
    static final class InMemoryCatalog implements SnapshotCatalog {
        List<CatalogSnapshot> clusters = List.of();
        RuntimeException failNext;

        @Override
        public List<CatalogSnapshot> automatedSnapshots(SnapshotSourceType type) {
            return type == SnapshotSourceType.CLUSTER ? clusters : List.of();
        }

        @Override
        public Optional<CatalogSnapshot> snapshot(SnapshotSourceType type, String snapshotId) {
            if (failNext != null) {
                RuntimeException failure = failNext;
                failNext = null;
                throw failure;
            }
            return automatedSnapshots(type).stream().filter(s -> s.snapshot().snapshotId().equals(snapshotId)).findFirst();
        }
    }
}
