package io.snaplake.exportscheduler.domain;

import io.snaplake.events.ExportTaskState;
import io.snaplake.events.ExportTaskStatus;
import io.snaplake.events.SnapshotRef;
import io.snaplake.pipeline.SnapshotKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How long each cluster's recent exports took, to predict its next one. Durable without a store of its
 * own: every state of a cluster carries the durations before it ({@code previousExportMillis}), so the
 * newest state, read back after a restart, holds the history even when older states have expired.
 * Not thread-safe: used under the {@link ExportTracker}'s lock.
 */
final class ExportDurations {

    /** Enough days to see a cluster's usual duration, few enough to follow its growth. */
    static final int KEPT = 10;

    private final Map<String, History> byCluster = new HashMap<>();

    private record History(List<Long> millis, Instant asOf) {
    }

    /** The cluster's recorded durations, oldest first. */
    List<Long> of(SnapshotRef snapshot) {
        History history = byCluster.get(SnapshotKeys.recordKey(snapshot));
        return history == null ? List.of() : history.millis();
    }

    /** The median of the cluster's recorded durations: robust to one unusual day. */
    Optional<Duration> predict(SnapshotRef snapshot) {
        List<Long> millis = new ArrayList<>(of(snapshot));
        if (millis.isEmpty()) {
            return Optional.empty();
        }
        millis.sort(null);
        int n = millis.size();
        long median = n % 2 == 1 ? millis.get(n / 2) : (millis.get(n / 2 - 1) + millis.get(n / 2)) / 2;
        return Optional.of(Duration.ofMillis(median));
    }

    /**
     * Takes what a state knows of its cluster's history: the durations it carries, plus its own when it is
     * COMPLETED. The newest knowledge wins (a completed export's end, else the state's request time).
     */
    void absorb(ExportTaskState state) {
        List<Long> millis = new ArrayList<>(state.getPreviousExportMillis());
        Instant asOf = state.getRequestedAt();
        Optional<Duration> own = durationOf(state);
        if (own.isPresent()) {
            millis.add(own.get().toMillis());
            asOf = state.getFinishedAt();
        }
        if (millis.isEmpty()) {
            return;
        }
        String key = SnapshotKeys.recordKey(state.getSnapshot());
        History known = byCluster.get(key);
        if (known == null || !known.asOf().isAfter(asOf)) {
            byCluster.put(key, new History(List.copyOf(newest(millis)), asOf));
        }
    }

    static Optional<Duration> durationOf(ExportTaskState state) {
        if (state.getStatus() != ExportTaskStatus.COMPLETED || state.getStartedAt() == null || state.getFinishedAt() == null) {
            return Optional.empty();
        }
        return Optional.of(Duration.between(state.getStartedAt(), state.getFinishedAt()));
    }

    private static List<Long> newest(List<Long> millis) {
        return millis.size() <= KEPT ? millis : millis.subList(millis.size() - KEPT, millis.size());
    }
}
