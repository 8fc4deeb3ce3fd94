package io.snaplake.snapshotlistener.domain;

import io.snaplake.events.DiscoverySource;
import io.snaplake.snapshotlistener.domain.EventQueue.QueuedMessage;
import io.snaplake.snapshotlistener.domain.ListenerMetrics.IgnoreReason;
import io.snaplake.snapshotlistener.domain.ParsedEvent.Irrelevant;
import io.snaplake.snapshotlistener.domain.ParsedEvent.Malformed;
import io.snaplake.snapshotlistener.domain.ParsedEvent.SnapshotCreation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles one queue message, at least once: a message is deleted only after what it caused is durable
 * (the SnapshotCreated event acknowledged by Kafka, or the message stored in the dead-letter queue). If
 * the process dies in between, the message comes back and the repeat is harmless: the snapshot is
 * already known, or the dead-letter queue holds the message twice.
 */
public final class SnapshotEventProcessor {

    private static final Logger log = LoggerFactory.getLogger(SnapshotEventProcessor.class);

    private final EventQueue queue;
    private final RdsEventParser parser;
    private final ConfiguredSources sources;
    private final SnapshotEmitter emitter;
    private final ListenerMetrics metrics;

    public SnapshotEventProcessor(EventQueue queue, RdsEventParser parser, ConfiguredSources sources,
            SnapshotEmitter emitter, ListenerMetrics metrics) {
        this.queue = queue;
        this.parser = parser;
        this.sources = sources;
        this.emitter = emitter;
        this.metrics = metrics;
    }

    /**
     * @throws RuntimeException when the event could not be written; the message is then left on the
     *                          queue, which delivers it again after its visibility timeout
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
        emitter.emit(snapshot, DiscoverySource.EVENT);
    }
}
