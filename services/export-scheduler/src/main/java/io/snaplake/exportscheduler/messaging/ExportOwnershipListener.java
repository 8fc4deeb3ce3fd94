package io.snaplake.exportscheduler.messaging;

import io.snaplake.exportscheduler.ExportScheduler;
import java.util.Collection;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.springframework.cloud.stream.binder.kafka.KafkaBindingRebalanceListener;

/**
 * Ownership follows the input's partitions: when this replica is assigned input partition p, it rebuilds
 * the exports of state partition p and drives them; when p is revoked, it lets them go. Runs on the
 * consumer thread before any record of p is handled, so a request never meets a half-built state.
 */
public final class ExportOwnershipListener implements KafkaBindingRebalanceListener {

    private final String inputTopic;
    private final ExportScheduler scheduler;
    private final KafkaExportStateStore store;

    public ExportOwnershipListener(String inputTopic, ExportScheduler scheduler, KafkaExportStateStore store) {
        this.inputTopic = inputTopic;
        this.scheduler = scheduler;
        this.store = store;
    }

    @Override
    public void onPartitionsAssigned(String bindingName, Consumer<?, ?> consumer, Collection<TopicPartition> partitions,
            boolean initial) {
        List<Integer> mine = inputPartitions(partitions);
        store.restore(mine).forEach(scheduler::adopt);
    }

    @Override
    public void onPartitionsRevokedBeforeCommit(String bindingName, Consumer<?, ?> consumer,
            Collection<TopicPartition> partitions) {
        scheduler.release(inputPartitions(partitions));
    }

    private List<Integer> inputPartitions(Collection<TopicPartition> partitions) {
        return partitions.stream().filter(tp -> tp.topic().equals(inputTopic)).map(TopicPartition::partition).toList();
    }
}
