package io.snaplake.snapshotlistener.domain;

import io.snaplake.events.DiscoverySource;
import io.snaplake.events.SnapshotCreated;
import io.snaplake.events.SnapshotRef;
import io.snaplake.pipeline.EventIds;
import io.snaplake.pipeline.EventMetadataFactory;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Announces each snapshot once, whichever way it was found (event, sweep, manual request) and however
 * often. What this replica knows is checked first; the publisher then checks the topic itself while it
 * alone may write the snapshot's partition, so two replicas racing on one snapshot write one event. The
 * event id is a function of the snapshot ARN as well.
 */
public final class SnapshotEmitter {

    private final EmittedSnapshots emitted;
    private final SnapshotPublisher publisher;
    private final EventMetadataFactory metadata;
    private final ListenerMetrics metrics;
    // One lock for all snapshots: the event, the sweep and a manual request for the same snapshot may
    // arrive at once, and emissions are rare (a few per cluster per day), so a finer lock buys nothing.
    private final ReentrantLock emitting = new ReentrantLock();

    public SnapshotEmitter(EmittedSnapshots emitted, SnapshotPublisher publisher, EventMetadataFactory metadata,
            ListenerMetrics metrics) {
        this.emitted = emitted;
        this.publisher = publisher;
        this.metadata = metadata;
        this.metrics = metrics;
    }

    /** The id of the SnapshotCreated event for a snapshot, the same wherever and whenever it is computed. */
    public static String eventIdFor(String snapshotArn) {
        return EventIds.of(SnapshotCreated.class.getSimpleName(), snapshotArn);
    }

    /**
     * @throws SnapshotNotAnnouncedException when the record of earlier emissions is not up to date, or
     *                                       the event was not written
     */
    public EmitResult emit(RdsSnapshot snapshot, DiscoverySource discoveredBy) {
        emitting.lock();
        try {
            if (!emitted.isCaughtUp()) {
                throw new SnapshotNotAnnouncedException("earlier SnapshotCreated events are not (or no longer) read up to "
                        + "date; not emitting " + snapshot.snapshotArn() + " until they are, so that it is not announced twice", null);
            }
            var known = emitted.eventIdOf(snapshot.snapshotArn());
            if (known.isPresent()) {
                metrics.snapshotAlreadyKnown(discoveredBy);
                return new EmitResult(EmitResult.Outcome.ALREADY_KNOWN, known.get(), snapshot);
            }
            SnapshotCreated event = snapshotCreated(snapshot, discoveredBy);
            boolean written;
            try {
                written = publisher.publishUnlessAnnounced(event);
            } catch (RuntimeException notWritten) {
                throw new SnapshotNotAnnouncedException("SnapshotCreated for " + snapshot.snapshotArn()
                        + " was not written: " + notWritten.getMessage(), notWritten);
            }
            if (!written) {
                // Another replica announced it a moment ago (the same snapshot, so the same event id).
                emitted.remember(snapshot.snapshotArn(), event.getMetadata().getEventId());
                metrics.snapshotAlreadyKnown(discoveredBy);
                return new EmitResult(EmitResult.Outcome.ALREADY_KNOWN, event.getMetadata().getEventId(), snapshot);
            }
            emitted.remember(snapshot.snapshotArn(), event.getMetadata().getEventId());
            metrics.snapshotEmitted(discoveredBy);
            return new EmitResult(EmitResult.Outcome.EMITTED, event.getMetadata().getEventId(), snapshot);
        } finally {
            emitting.unlock();
        }
    }

    private SnapshotCreated snapshotCreated(RdsSnapshot snapshot, DiscoverySource discoveredBy) {
        String arn = snapshot.snapshotArn();
        return SnapshotCreated.newBuilder()
                .setMetadata(metadata.first(eventIdFor(arn), EventIds.runId(arn)))
                .setSnapshot(SnapshotRef.newBuilder()
                        .setAccountId(snapshot.arn().accountId())
                        .setRegion(snapshot.arn().region())
                        .setSourceType(snapshot.sourceType())
                        .setClusterId(snapshot.sourceId())
                        .setSnapshotId(snapshot.snapshotId())
                        .setSnapshotArn(arn)
                        .setSnapshotDate(snapshot.snapshotDate())
                        .setSnapshotCreatedAt(snapshot.createdAt())
                        .build())
                .setDiscoveredBy(discoveredBy)
                .setForceExport(false)
                .setAllocatedStorageGb(snapshot.allocatedStorageGb())
                .build();
    }
}
