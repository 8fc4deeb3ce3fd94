package io.snaplake.pipeline.messaging;

import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.springframework.cloud.stream.binder.kafka.KafkaBindingRebalanceListener;

/**
 * Durable work that follows the input's partitions (a stage keeping state on a compacted topic, partition p
 * of the state beside partition p of the input): hands the assigned input partitions to {@code assigned} and
 * the revoked ones to {@code released}. Runs on the consumer thread before any record of an assigned
 * partition is handled, so the owner can rebuild that partition's state before it meets a record of it.
 */
public final class PartitionOwnershipListener implements KafkaBindingRebalanceListener {

    private final String inputTopic;
    private final Consumer<List<Integer>> assigned;
    private final Consumer<List<Integer>> released;

    public PartitionOwnershipListener(String inputTopic, Consumer<List<Integer>> assigned, Consumer<List<Integer>> released) {
        this.inputTopic = inputTopic;
        this.assigned = assigned;
        this.released = released;
    }

    @Override
    public void onPartitionsAssigned(String bindingName, org.apache.kafka.clients.consumer.Consumer<?, ?> consumer,
            Collection<TopicPartition> partitions, boolean initial) {
        assigned.accept(inputPartitions(partitions));
    }

    @Override
    public void onPartitionsRevokedBeforeCommit(String bindingName, org.apache.kafka.clients.consumer.Consumer<?, ?> consumer,
            Collection<TopicPartition> partitions) {
        released.accept(inputPartitions(partitions));
    }

    private List<Integer> inputPartitions(Collection<TopicPartition> partitions) {
        return partitions.stream().filter(tp -> tp.topic().equals(inputTopic)).map(TopicPartition::partition).toList();
    }
}
