package io.snaplake.snapshotlistener.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.snaplake.events.DiscoverySource;
import io.snaplake.pipeline.EventMetadataFactory;
import io.snaplake.snapshotlistener.ExpectedEvents;
import io.snaplake.snapshotlistener.RdsEvents;
import io.snaplake.snapshotlistener.config.MicrometerListenerMetrics;
import io.snaplake.snapshotlistener.domain.EventQueue.QueuedMessage;
import io.snaplake.snapshotlistener.domain.ReconciliationSweepTest.InMemoryCatalog;
import io.snaplake.snapshotlistener.domain.SnapshotCatalog.CatalogSnapshot;
import io.snaplake.snapshotlistener.domain.SnapshotEmitterTest.RecordingPublisher;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The order of effects for one queue message, against an in-memory queue that records them. The same
 * behaviour against SQS (moto) and Kafka is in SnapshotEventQueueTest.
 */
class SnapshotEventProcessorTest {

    /** The snapshot the tests' events name. */
    private static final String ORDERS_SNAPSHOT_ID = "rds:orders-2026-11-20-03-10";

    private final RecordingQueue queue = new RecordingQueue();
    private final RecordingPublisher published = new RecordingPublisher();
    private final MicrometerListenerMetrics metrics = new MicrometerListenerMetrics(new SimpleMeterRegistry());
    private final EmittedSnapshots emitted = new EmittedSnapshots();
    private final InMemoryCatalog catalog = new InMemoryCatalog();
    private final SnapshotEventProcessor processor = new SnapshotEventProcessor(queue,
            new RdsEventParser(JsonMapper.builder().build()),
            new ConfiguredSources(SourcePatterns.of(List.of("orders")), SourcePatterns.of(List.of())),
            catalog,
            new SnapshotEmitter(emitted, published,
                    new EventMetadataFactory("snapshot-listener", Clock.fixed(ExpectedEvents.NOW, ZoneOffset.UTC)), metrics),
            metrics);

    {
        emitted.markCaughtUp();
        // RDS describes the snapshot the tests' events name (orders, 2026-11-20), without a size unless a test says.
        catalog.clusters = List.of(new CatalogSnapshot(
                RdsSnapshot.described(ExpectedEvents.clusterSnapshotArn(ORDERS_SNAPSHOT_ID), "orders", null), "available"));
    }

    @Test
    void deletesTheMessage_onlyAfterTheEventIsWritten() {
        QueuedMessage message = message(RdsEvents.clusterSnapshotCreated("orders", LocalDateTime.of(2026, 11, 20, 3, 10)));

        processor.process(message);

        assertThat(published.events).hasSize(1);
        assertThat(queue.effects).containsExactly("delete " + message.id());
    }

    @Test
    void keepsTheMessage_whenTheEventIsNotWritten() {
        published.failNext = true;
        QueuedMessage message = message(RdsEvents.clusterSnapshotCreated("orders", LocalDateTime.of(2026, 11, 20, 3, 10)));

        assertThatThrownBy(() -> processor.process(message)).isInstanceOf(SnapshotNotAnnouncedException.class);

        assertThat(queue.effects).isEmpty();
    }

    @Test
    void announcesTheSizeRdsDescribes_forTheEventsSnapshot() {
        catalog.clusters = List.of(new CatalogSnapshot(RdsSnapshot.described(ExpectedEvents.clusterSnapshotArn(ORDERS_SNAPSHOT_ID),
                "orders", Instant.parse("2026-11-20T03:10:07Z"), 250), "available"));

        processor.process(message(RdsEvents.clusterSnapshotCreated("orders", LocalDateTime.of(2026, 11, 20, 3, 10))));

        // Only the size is taken from RDS: the event's snapshot is otherwise announced as the event names it.
        assertThat(published.events).containsExactly(
                ExpectedEvents.clusterSnapshotCreated("orders", ORDERS_SNAPSHOT_ID, LocalDate.of(2026, 11, 20), null)
                        .setAllocatedStorageGb(250)
                        .setDiscoveredBy(DiscoverySource.EVENT)
                        .build());
    }

    @Test
    void announcesWithoutASize_aSnapshotRdsDescribesWithoutOne() {
        processor.process(message(RdsEvents.clusterSnapshotCreated("orders", LocalDateTime.of(2026, 11, 20, 3, 10))));

        assertThat(published.events).containsExactly(
                ExpectedEvents.clusterSnapshotCreated("orders", ORDERS_SNAPSHOT_ID, LocalDate.of(2026, 11, 20), null)
                        .setDiscoveredBy(DiscoverySource.EVENT)
                        .build());
        assertThat(published.events.get(0).getAllocatedStorageGb()).isNull();
    }

    @Test
    void deadLettersAndAnnouncesNothing_forASnapshotRdsDoesNotDescribe() {
        // A configured cluster's name, but no such snapshot in RDS: a forged event, or one of a cluster that is gone.
        QueuedMessage message = message(RdsEvents.clusterSnapshotCreated("orders", LocalDateTime.of(2026, 11, 21, 3, 10)));

        processor.process(message);

        assertThat(published.events).isEmpty();
        assertThat(queue.effects).containsExactly("dead-letter " + message.id() + " SNAPSHOT_NOT_FOUND", "delete " + message.id());
        assertThat(queue.rejections).singleElement().satisfies(rejection -> assertThat(rejection.message())
                .contains("RDS does not describe cluster snapshot rds:orders-2026-11-21-03-10"));
        assertThat(metrics.count("snaplake.listener.events.rejected", "reason", "snapshot_not_found")).isEqualTo(1);
    }

    @Test
    void keepsTheMessage_whenRdsCannotBeAskedForTheSnapshot() {
        catalog.failNext = new IllegalStateException("Rate exceeded (Service: Rds, Status Code: 400, ThrottlingException)");
        QueuedMessage message = message(RdsEvents.clusterSnapshotCreated("orders", LocalDateTime.of(2026, 11, 20, 3, 10)));

        assertThatThrownBy(() -> processor.process(message)).hasMessageContaining("Rate exceeded");

        assertThat(published.events).isEmpty();
        assertThat(queue.effects).isEmpty();
    }

    @Test
    void deadLettersWithTheReason_beforeDeleting() {
        QueuedMessage message = message("not json");

        processor.process(message);

        assertThat(queue.effects).containsExactly("dead-letter " + message.id() + " NOT_JSON", "delete " + message.id());
        assertThat(metrics.count("snaplake.listener.events.rejected", "reason", "not_json")).isEqualTo(1);
    }

    @Test
    void acknowledgesAndCounts_aSnapshotOfAnotherCluster() {
        QueuedMessage message = message(RdsEvents.clusterSnapshotCreated("payments", LocalDateTime.of(2026, 11, 20, 3, 10)));

        processor.process(message);

        assertThat(published.events).isEmpty();
        assertThat(queue.effects).containsExactly("delete " + message.id());
        assertThat(metrics.count("snaplake.listener.events.ignored", "reason", "source_not_configured")).isEqualTo(1);
    }

    private static int sequence;

    private static QueuedMessage message(String body) {
        String id = "m" + (++sequence);
        return new QueuedMessage(id, body, "receipt-" + id);
    }

    static final class RecordingQueue implements EventQueue {
        final List<String> effects = new ArrayList<>();
        final List<Rejection> rejections = new ArrayList<>();

        @Override
        public List<QueuedMessage> receive() {
            return List.of();
        }

        @Override
        public void keepHidden(List<QueuedMessage> messages, java.time.Duration visibility) {
            messages.forEach(message -> effects.add("keep hidden " + message.id() + " " + visibility));
        }

        @Override
        public void delete(QueuedMessage message) {
            effects.add("delete " + message.id());
        }

        @Override
        public void deadLetter(QueuedMessage message, Rejection rejection) {
            effects.add("dead-letter " + message.id() + " " + rejection.code());
            rejections.add(rejection);
        }
    }
}
