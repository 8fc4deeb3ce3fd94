package io.snaplake.crawlerrunner.messaging;

import io.snaplake.crawlerrunner.crawl.CrawlCoordinator;
import java.util.Collection;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.springframework.cloud.stream.binder.kafka.KafkaBindingRebalanceListener;

/**
 * Pending crawls follow the input's partitions: when this replica is assigned input partition p it reads the
 * copies still waiting on state partition p and drives them; when p is revoked it lets them go. Runs on the
 * consumer thread before any record of p is handled, so a copy is never both restored and received twice.
 */
public final class CrawlOwnershipListener implements KafkaBindingRebalanceListener {

    private final String inputTopic;
    private final CrawlCoordinator coordinator;

    public CrawlOwnershipListener(String inputTopic, CrawlCoordinator coordinator) {
        this.inputTopic = inputTopic;
        this.coordinator = coordinator;
    }

    @Override
    public void onPartitionsAssigned(String bindingName, Consumer<?, ?> consumer, Collection<TopicPartition> partitions, boolean initial) {
        coordinator.assigned(inputPartitions(partitions));
    }

    @Override
    public void onPartitionsRevokedBeforeCommit(String bindingName, Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        coordinator.released(inputPartitions(partitions));
    }

    private List<Integer> inputPartitions(Collection<TopicPartition> partitions) {
        return partitions.stream().filter(tp -> tp.topic().equals(inputTopic)).map(TopicPartition::partition).toList();
    }
}
