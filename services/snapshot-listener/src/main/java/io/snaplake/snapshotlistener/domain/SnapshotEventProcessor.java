package io.snaplake.snapshotlistener.domain;

import io.snaplake.events.DiscoverySource;
import io.snaplake.events.SnapshotSourceType;
import io.snaplake.snapshotlistener.domain.EventQueue.QueuedMessage;
import io.snaplake.snapshotlistener.domain.ListenerMetrics.IgnoreReason;
import io.snaplake.snapshotlistener.domain.ParsedEvent.Irrelevant;
import io.snaplake.snapshotlistener.domain.ParsedEvent.Malformed;
import io.snaplake.snapshotlistener.domain.ParsedEvent.SnapshotCreation;
import io.snaplake.snapshotlistener.domain.SnapshotCatalog.CatalogSnapshot;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles one queue message, at least once: a message is deleted only after what it caused is durable
 * (the SnapshotCreated event acknowledged by Kafka, or the message stored in the dead-letter queue). If
 * the process dies in between, the message comes back and the repeat is harmless: the snapshot is
 * already known, or the dead-letter queue holds the message twice. An event does not carry the
 * snapshot's size, so the snapshot is described first (DescribeDBClusterSnapshots / DescribeDBSnapshots,
 * the calls the sweep makes): the export scheduler predicts a cluster's first export from the size.
 */
public final class SnapshotEventProcessor {

    private static final Logger log = LoggerFactory.getLogger(SnapshotEventProcessor.class);

    private final EventQueue queue;
    private final RdsEventParser parser;
    private final ConfiguredSources sources;
    private final SnapshotCatalog catalog;
    private final SnapshotEmitter emitter;
    private final ListenerMetrics metrics;

    public SnapshotEventProcessor(EventQueue queue, RdsEventParser parser, ConfiguredSources sources,
            SnapshotCatalog catalog, SnapshotEmitter emitter, ListenerMetrics metrics) {
        this.queue = queue;
        this.parser = parser;
        this.sources = sources;
        this.catalog = catalog;
        this.emitter = emitter;
        this.metrics = metrics;
    }

    /**
     * @throws RuntimeException when the event could not be written, or RDS could not be asked for the
     *                          snapshot (throttled, unavailable); the message is then left on the queue
     *                          and tried again
     */
    public void process(QueuedMessage message) {
        metrics.eventReceived();
        ParsedEvent parsed = parser.parse(message.body());
        if (parsed instanceof SnapshotCreation creation) {
            announce(creation.snapshot());
        } else if (parsed instanceof Irrelevant irrelevant) {
            log.debug("Message {} is {} ({}), not an automated snapshot's creation; acknowledging it",
                    message.id(), irrelevant.eventId(), irrelevant.detailType());
            metrics.eventIgnored(IgnoreReason.NOT_AN_AUTOMATED_SNAPSHOT_EVENT);
        } else if (parsed instanceof Malformed malformed) {
            log.warn("Message {} dead-lettered: {} ({})", message.id(), malformed.rejection().message(),
                    malformed.rejection().code());
            queue.deadLetter(message, malformed.rejection());
            metrics.eventRejected(malformed.rejection().code());
        }
        queue.delete(message);
    }

    private void announce(RdsSnapshot snapshot) {
        if (!sources.includes(snapshot)) {
            metrics.eventIgnored(IgnoreReason.SOURCE_NOT_CONFIGURED);
            return;
        }
        emitter.emit(withSize(snapshot), DiscoverySource.EVENT);
    }

    /**
     * The snapshot with the size RDS describes. A snapshot RDS does not (or no longer) describe is announced
     * without one: the event is the proof that it was taken, and the size is only a hint for scheduling.
     */
    private RdsSnapshot withSize(RdsSnapshot announced) {
        Optional<CatalogSnapshot> described = announced.sourceType() == SnapshotSourceType.CLUSTER
                ? catalog.clusterSnapshot(announced.snapshotId())
                : catalog.instanceSnapshot(announced.snapshotId());
        Optional<Integer> sizeGb = described.map(CatalogSnapshot::snapshot)
                .filter(snapshot -> snapshot.snapshotArn().equals(announced.snapshotArn()))
                .map(RdsSnapshot::allocatedStorageGb);
        if (sizeGb.isEmpty()) {
            log.info("RDS does not describe {} (or gives no size); announcing it without its size", announced.snapshotArn());
        }
        return announced.withAllocatedStorageGb(sizeGb.orElse(null));
    }
}
