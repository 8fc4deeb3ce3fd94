package io.snaplake.exportscheduler.domain;

import io.snaplake.events.ExportCompleted;
import io.snaplake.events.ExportStarted;
import io.snaplake.events.ExportTaskState;
import io.snaplake.events.PipelineFailure;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/** In-memory stand-ins for the Kafka adapters in unit tests of the scheduler (the adapters have their own tests). */
final class Recorders {

    private Recorders() {
    }

    static final class Events implements ExportEventPublisher {
        final List<SpecificRecord> all = new ArrayList<>();

        @Override
        public synchronized void exportStarted(ExportStarted event) {
            all.add(event);
        }

        @Override
        public synchronized void exportCompleted(ExportCompleted event) {
            all.add(event);
        }

        @Override
        public synchronized void exportFailed(PipelineFailure event) {
            all.add(event);
        }

        synchronized <T> List<T> of(Class<T> type) {
            return all.stream().filter(type::isInstance).map(type::cast).toList();
        }
    }

    /** Keeps the latest state per key and partition, as the compacted topic does. */
    static final class Store implements ExportStateStore {
        final Map<String, ExportTaskState> latest = new LinkedHashMap<>();
        final Map<String, Integer> partitions = new LinkedHashMap<>();

        @Override
        public synchronized void save(ExportTaskState state, int partition) {
            String key = ExportScheduler.stateKey(state.getSnapshot());
            latest.put(key, state);
            partitions.put(key, partition);
        }

        /** Keys deleted (tombstones written), in order. */
        final List<String> deleted = new ArrayList<>();

        /** Answers with an error for the next {@code times} deletions, as the state topic does while it is away. */
        int failingDeletes;

        @Override
        public synchronized void delete(io.snaplake.events.SnapshotRef snapshot, int partition) {
            if (failingDeletes > 0) {
                failingDeletes--;
                throw new IllegalStateException("state topic unavailable (test)");
            }
            String key = ExportScheduler.stateKey(snapshot);
            latest.remove(key);
            partitions.remove(key);
            deleted.add(key);
        }

        /** Answers with an error for the next {@code times} restores, as the state topic does while it is away. */
        int failingRestores;

        @Override
        public synchronized Map<Integer, List<ExportTaskState>> restore(Collection<Integer> partitions) {
            if (failingRestores > 0) {
                failingRestores--;
                throw new IllegalStateException("state topic unavailable (test)");
            }
            Map<Integer, List<ExportTaskState>> restored = new HashMap<>();
            partitions.forEach(partition -> restored.put(partition, onPartition(partition)));
            return restored;
        }

        synchronized List<ExportTaskState> onPartition(int partition) {
            return latest.entrySet().stream().filter(e -> partitions.get(e.getKey()) == partition).map(Map.Entry::getValue).toList();
        }
    }
}
