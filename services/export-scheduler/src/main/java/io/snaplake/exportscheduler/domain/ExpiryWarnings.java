package io.snaplake.exportscheduler.domain;

import io.snaplake.events.ExportTaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns, once per snapshot and replica, of a waiting snapshot predicted to get its export slot only after RDS
 * deletes it (its cluster's snapshot retention): a retryable PipelineFailure, so that someone can act in time.
 */
final class ExpiryWarnings {

    private static final Logger log = LoggerFactory.getLogger(ExpiryWarnings.class);

    private final ExportTracker tracker;
    private final ExportEventPublisher publisher;
    private final ExportEvents events;
    private final SchedulingPolicy policy;
    private final SchedulerSettings settings;
    private final ExportMetrics metrics;

    ExpiryWarnings(ExportTracker tracker, ExportEventPublisher publisher, ExportEvents events, SchedulingPolicy policy,
            SchedulerSettings settings, ExportMetrics metrics) {
        this.tracker = tracker;
        this.publisher = publisher;
        this.events = events;
        this.policy = policy;
        this.settings = settings;
        this.metrics = metrics;
    }

    /**
     * The prediction plays the queue, in its order, onto the slots: free ones now, ours when their exports are
     * predicted to end, others' (unknown) after a poll interval; a snapshot with no predicted duration counts as
     * the mean of those predicted.
     *
     * @param waiting the waiting exports, in the order they get slots
     * @param free    the account's free slots now
     */
    void warnOfExpiryBeforeASlot(List<WaitingOrder.Candidate> waiting, int free, Instant now) {
        PriorityQueue<Instant> slotFreeAt = new PriorityQueue<>(tracker.predictedEnds(now, policy));
        for (int i = 0; i < Math.max(0, free); i++) {
            slotFreeAt.add(now);
        }
        while (slotFreeAt.size() < settings.maxConcurrentExports()) {
            slotFreeAt.add(now.plus(settings.pollInterval()));
        }
        List<Duration> known = waiting.stream().map(WaitingOrder.Candidate::predicted).flatMap(Optional::stream).toList();
        Duration typical = known.isEmpty() ? Duration.ZERO
                : known.stream().reduce(Duration.ZERO, Duration::plus).dividedBy(known.size());
        List<Warning> warnings = new ArrayList<>();
        for (WaitingOrder.Candidate candidate : waiting) {
            Instant slotAt = slotFreeAt.poll();
            slotFreeAt.add(slotAt.plus(candidate.predicted().orElse(typical)));
            if (slotAt.isAfter(candidate.expiresAt()) && slotAt.isAfter(now)) {
                synchronized (tracker) {
                    if (candidate.export().expiryWarned || !tracker.owns(candidate.export())) {
                        continue;
                    }
                    candidate.export().expiryWarned = true;
                }
                warnings.add(new Warning(candidate.state(), candidate.expiresAt(), slotAt));
            }
        }
        warnings.forEach(this::publish); // outside the lock: the events go to Kafka
    }

    private void publish(Warning warning) {
        metrics.expiryAtRisk();
        log.warn("Snapshot {} expires at {} but is predicted to get an export slot only at {}",
                warning.state().getSnapshot().getSnapshotId(), warning.expiresAt(), warning.slotAt());
        try {
            publisher.exportFailed(events.mayExpireBeforeExport(warning.state(), warning.expiresAt(), warning.slotAt()));
        } catch (RuntimeException e) {
            log.warn("Could not publish the expiry warning of {} ({}); it is logged above",
                    warning.state().getSnapshot().getSnapshotId(), e.toString());
        }
    }

    private record Warning(ExportTaskState state, Instant expiresAt, Instant slotAt) {
    }
}
