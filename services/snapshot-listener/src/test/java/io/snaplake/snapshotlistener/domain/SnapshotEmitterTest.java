package io.snaplake.snapshotlistener.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.snaplake.events.DiscoverySource;
import io.snaplake.events.SnapshotCreated;
import io.snaplake.pipeline.EventMetadataFactory;
import io.snaplake.snapshotlistener.ExpectedEvents;
import io.snaplake.snapshotlistener.config.MicrometerListenerMetrics;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The emitter against an in-memory publisher (the Kafka-backed path is covered by the application tests). */
class SnapshotEmitterTest {

    private static final String ORDERS_SNAPSHOT_ID = "rds:orders-2026-11-20-03-10";
    private static final RdsSnapshot ORDERS = RdsSnapshot.described(ExpectedEvents.clusterSnapshotArn(ORDERS_SNAPSHOT_ID), "orders", null);

    private final RecordingPublisher published = new RecordingPublisher();
    private final EmittedSnapshots emitted = new EmittedSnapshots();
    private final MicrometerListenerMetrics metrics = new MicrometerListenerMetrics(new SimpleMeterRegistry());
    private final SnapshotEmitter emitter = new SnapshotEmitter(emitted, published,
            new EventMetadataFactory("snapshot-listener", Clock.fixed(ExpectedEvents.NOW, ZoneOffset.UTC)), metrics);

    @Test
    void emitsTheWholeSnapshotCreated_forANewSnapshot() {
        emitted.markCaughtUp();

        EmitResult result = emitter.emit(ORDERS, DiscoverySource.EVENT);

        SnapshotCreated expected = ExpectedEvents.clusterSnapshotCreated("orders", ORDERS_SNAPSHOT_ID, LocalDate.of(2026, 11, 20), null)
                .setDiscoveredBy(DiscoverySource.EVENT)
                .build();
        assertThat(published.events).containsExactly(expected);
        assertThat(result).isEqualTo(new EmitResult(EmitResult.Outcome.EMITTED, expected.getMetadata().getEventId(), ORDERS));
        assertThat(metrics.count("snaplake.listener.snapshots.emitted", "discovered_by", "event")).isEqualTo(1);
    }

    @Test
    void answersAlreadyKnown_withTheFirstEventId_whenTheSnapshotComesAgain() {
        emitted.markCaughtUp();
        String firstId = emitter.emit(ORDERS, DiscoverySource.EVENT).eventId();

        EmitResult again = emitter.emit(ORDERS, DiscoverySource.SWEEP);

        assertThat(again).isEqualTo(new EmitResult(EmitResult.Outcome.ALREADY_KNOWN, firstId, ORDERS));
        assertThat(published.events).hasSize(1);
    }

    @Test
    void emitsNothing_forASnapshotAnnouncedBeforeTheRestart() {
        emitted.remember(ORDERS.snapshotArn(), "id-from-the-topic");
        emitted.markCaughtUp();

        assertThat(emitter.emit(ORDERS, DiscoverySource.MANUAL))
                .isEqualTo(new EmitResult(EmitResult.Outcome.ALREADY_KNOWN, "id-from-the-topic", ORDERS));
        assertThat(published.events).isEmpty();
    }

    @Test
    void refusesToEmit_beforeTheHistoryIsRead() {
        assertThatThrownBy(() -> emitter.emit(ORDERS, DiscoverySource.EVENT))
                .isInstanceOf(SnapshotNotAnnouncedException.class)
                .hasMessageContaining("not announced twice");
        assertThat(published.events).isEmpty();
    }

    @Test
    void forgetsNothing_whenTheWriteFails_soTheNextAttemptEmits() {
        emitted.markCaughtUp();
        published.failNext = true;

        assertThatThrownBy(() -> emitter.emit(ORDERS, DiscoverySource.EVENT))
                .isInstanceOf(SnapshotNotAnnouncedException.class)
                .hasMessageContaining("broker down");
        assertThat(emitter.emit(ORDERS, DiscoverySource.EVENT).outcome()).isEqualTo(EmitResult.Outcome.EMITTED);
        assertThat(published.events).hasSize(1);
    }

    @Test
    void emitsOnce_whenManyThreadsAnnounceTheSameSnapshotAtOnce() throws Exception {
        emitted.markCaughtUp();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<EmitResult>> results = IntStream.range(0, 8)
                    .mapToObj(i -> threads.submit(() -> {
                        start.await();
                        return emitter.emit(ORDERS, DiscoverySource.SWEEP);
                    }))
                    .toList();
            start.countDown();

            long emittedCount = 0;
            for (Future<EmitResult> result : results) {
                emittedCount += result.get().outcome() == EmitResult.Outcome.EMITTED ? 1 : 0;
            }
            assertThat(emittedCount).isEqualTo(1);
            assertThat(published.events).hasSize(1);
        } finally {
            threads.shutdownNow();
        }
    }

    /** Records what it is given; fails once when told to, as a broker that does not acknowledge would. */
    static final class RecordingPublisher implements SnapshotPublisher {
        final List<SnapshotCreated> events = new CopyOnWriteArrayList<>();
        volatile boolean failNext;

        @Override
        public boolean publishUnlessAnnounced(SnapshotCreated event) {
            if (failNext) {
                failNext = false;
                throw new IllegalStateException("broker down");
            }
            if (events.stream().anyMatch(e -> e.getSnapshot().getSnapshotArn().equals(event.getSnapshot().getSnapshotArn()))) {
                return false;
            }
            events.add(event);
            return true;
        }
    }
}
