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
 * Handles one queue message, at least once: a message is deleted only after what it caused is durable (the
 * event acknowledged by Kafka, or the message dead-lettered). The snapshot is described in RDS first, for its
 * size; an event for a snapshot RDS does not describe is dead-lettered, never announced.
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
            announce(creation.snapshot()).ifPresent(rejection -> deadLetter(message, rejection));
        } else if (parsed instanceof Irrelevant irrelevant) {
            log.debug("Message {} is {} ({}), not an automated snapshot's creation; acknowledging it",
                    message.id(), irrelevant.eventId(), irrelevant.detailType());
            metrics.eventIgnored(IgnoreReason.NOT_AN_AUTOMATED_SNAPSHOT_EVENT);
        } else if (parsed instanceof Malformed malformed) {
            deadLetter(message, malformed.rejection());
        }
        queue.delete(message);
    }

    private void deadLetter(QueuedMessage message, Rejection rejection) {
        log.warn("Message {} dead-lettered: {} ({})", message.id(), rejection.message(), rejection.code());
        queue.deadLetter(message, rejection);
        metrics.eventRejected(rejection.code());
    }

    /** Announces the event's snapshot, or says why it must not be: an event naming a snapshot RDS does not know. */
    private Optional<Rejection> announce(RdsSnapshot snapshot) {
        if (!sources.includes(snapshot)) {
            metrics.eventIgnored(IgnoreReason.SOURCE_NOT_CONFIGURED);
            return Optional.empty();
        }
        Optional<RdsSnapshot> described = catalog.snapshot(snapshot.sourceType(), snapshot.snapshotId())
                .map(CatalogSnapshot::snapshot)
                .filter(known -> known.snapshotArn().equals(snapshot.snapshotArn()));
        if (described.isEmpty()) {
            // RDS sends RDS-EVENT-0169 once the snapshot exists, so an event for a snapshot it does not describe is
            // forged, or names a cluster or snapshot that is gone: there is nothing to export, and announcing it would
            // only make the scheduler's StartExportTask fail. The dead-letter queue keeps it, with this reason.
            return Optional.of(new Rejection(Rejection.Code.SNAPSHOT_NOT_FOUND, "RDS does not describe "
                    + (snapshot.sourceType() == SnapshotSourceType.CLUSTER ? "cluster snapshot " : "snapshot ")
                    + snapshot.snapshotId() + " (" + snapshot.snapshotArn() + "): an event for a snapshot that does not"
                    + " exist (or no longer does) in this account and region"));
        }
        // Only the size is taken from RDS (the scheduler predicts a cluster's first export from it); the snapshot is
        // otherwise announced as the event names it.
        Integer sizeGb = described.get().allocatedStorageGb();
        if (sizeGb == null) {
            log.info("RDS gives no size for {}; announcing it without one", snapshot.snapshotArn());
        }
        emitter.emit(snapshot.withAllocatedStorageGb(sizeGb), DiscoverySource.EVENT);
        return Optional.empty();
    }
}
