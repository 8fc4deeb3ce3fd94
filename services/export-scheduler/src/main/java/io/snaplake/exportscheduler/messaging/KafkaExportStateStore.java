package io.snaplake.exportscheduler.messaging;

import io.snaplake.events.ExportTaskState;
import io.snaplake.events.SnapshotRef;
import io.snaplake.exportscheduler.domain.ExportScheduler;
import io.snaplake.exportscheduler.domain.ExportStateStore;
import io.snaplake.pipeline.state.StateRecord;
import io.snaplake.pipeline.state.StateTopicStore;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scheduler's durable state on its compacted Kafka topic ({@link StateTopicStore}): one record per
 * snapshot (the latest wins), written to the partition of the SnapshotCreated it came from, so that the
 * replica that owns input partition p owns state partition p and rebuilds it from there when it is assigned p.
 */
public final class KafkaExportStateStore implements ExportStateStore, AutoCloseable {

    private final StateTopicStore<ExportTaskState> states;

    /**
     * @param producerConfig Kafka producer settings with an Avro value serializer
     * @param consumerConfig Kafka consumer settings with an Avro value deserializer reading specific records
     * @param saveTimeout    a save waits at most this long for the broker's acknowledgement
     */
    public KafkaExportStateStore(String topic, Map<String, Object> producerConfig, Map<String, Object> consumerConfig,
            Duration saveTimeout) {
        this.states = new StateTopicStore<>(topic, ExportTaskState.class, producerConfig, consumerConfig, saveTimeout);
    }

    @Override
    public void save(ExportTaskState state, int partition) {
        states.put(partition, ExportScheduler.stateKey(state.getSnapshot()), state);
    }

    @Override
    public void delete(SnapshotRef snapshot, int partition) {
        states.delete(partition, ExportScheduler.stateKey(snapshot));
    }

    @Override
    public Map<Integer, List<ExportTaskState>> restore(Collection<Integer> partitions) {
        Map<Integer, List<ExportTaskState>> restored = new LinkedHashMap<>();
        states.restore(partitions).forEach((partition, records) ->
                restored.put(partition, records.stream().map(StateRecord::value).toList()));
        return restored;
    }

    @Override
    public void close() {
        states.close();
    }
}
