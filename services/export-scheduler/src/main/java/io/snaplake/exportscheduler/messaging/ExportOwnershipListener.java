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
 * consumer thread before any record of p is handled. If the state cannot be read now, the scheduler's loop
 * reads it again until it can, and refuses p's requests meanwhile, so a request never meets a half-built
 * state and a partition is never owned without being driven.
 */
public final class ExportOwnershipListener implements KafkaBindingRebalanceListener {

    private final String inputTopic;
    private final ExportScheduler scheduler;

    public ExportOwnershipListener(String inputTopic, ExportScheduler scheduler) {
        this.inputTopic = inputTopic;
        this.scheduler = scheduler;
    }

    @Override
    public void onPartitionsAssigned(String bindingName, Consumer<?, ?> consumer, Collection<TopicPartition> partitions,
            boolean initial) {
        scheduler.assigned(inputPartitions(partitions));
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
