package io.snaplake.cli;

import io.snaplake.cli.ops.Flow;
import io.snaplake.pipeline.Topic;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Every topic a deployment needs, as the code expects it: each event topic of {@link Topic}, each
 * consumer's dead-letter topic, and export-scheduler's state topic compacted with as many partitions as
 * {@link Topic#SNAPSHOTS_CREATED} (state partition p belongs to the owner of input partition p). All event
 * topics share one partition count, which is also the most replicas any consumer may run (Kubernetes'
 * ScaledObjects are checked against it).
 */
public final class TopicLayout {

    private TopicLayout() {
    }

    /** A topic to create: its name, partitions and topic-level configuration. */
    public record TopicSpec(String name, int partitions, Map<String, String> configs) {

        public NewTopic toNewTopic(short replicationFactor) {
            return new NewTopic(name, java.util.Optional.of(partitions),
                    replicationFactor > 0 ? java.util.Optional.of(replicationFactor) : java.util.Optional.empty())
                    .configs(configs);
        }
    }

    public static List<TopicSpec> topics(int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
        }
        List<TopicSpec> specs = new ArrayList<>();
        for (Topic topic : Topic.values()) {
            Map<String, String> configs = topic.isState()
                    // One record per snapshot (or copy): compaction keeps the latest state of each.
                    ? Map.of("cleanup.policy", "compact")
                    : Map.of();
            specs.add(new TopicSpec(topic.topicName(), partitions, configs));
        }
        Flow.deadLetterTopics().forEach(name -> specs.add(new TopicSpec(name, partitions, Map.of())));
        return List.copyOf(specs);
    }

    /**
     * Creates every topic of the layout that does not exist yet, with the broker's default replication: the
     * local stack's (demo, up, chaos) single broker.
     */
    public static void createMissing(Admin admin, int partitions) throws InterruptedException, ExecutionException {
        Map<String, KafkaFuture<Void>> created = admin.createTopics(topics(partitions).stream()
                .map(spec -> spec.toNewTopic((short) -1)).toList()).values();
        for (KafkaFuture<Void> topic : created.values()) {
            try {
                topic.get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
    }
}
