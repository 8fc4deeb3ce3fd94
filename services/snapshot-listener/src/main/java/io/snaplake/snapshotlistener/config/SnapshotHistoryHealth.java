package io.snaplake.snapshotlistener.config;

import io.snaplake.snapshotlistener.domain.EmittedSnapshots;
import io.snaplake.snapshotlistener.messaging.SnapshotHistoryReader;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Part of readiness: the listener is ready only while it follows the SnapshotCreated topic (the history
 * tail runs and is caught up), since that is what lets it announce each snapshot once.
 */
public final class SnapshotHistoryHealth implements HealthIndicator {

    private final SnapshotHistoryReader reader;
    private final EmittedSnapshots emitted;

    public SnapshotHistoryHealth(SnapshotHistoryReader reader, EmittedSnapshots emitted) {
        this.reader = reader;
        this.emitted = emitted;
    }

    @Override
    public Health health() {
        var problem = reader.notFollowing();
        if (problem.isPresent()) {
            return Health.down().withDetail("reason", problem.get()).build();
        }
        if (!emitted.isCaughtUp()) {
            return Health.down().withDetail("reason", "earlier SnapshotCreated events are not read up to date").build();
        }
        return Health.up().withDetail("knownSnapshots", emitted.size()).build();
    }
}
