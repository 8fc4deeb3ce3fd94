package io.snaplake.cli;

import io.snaplake.cli.ops.Flow;
import io.snaplake.pipeline.Topic;
import java.time.Duration;
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

    /**
     * How long a dead letter is kept unless the operator says otherwise: long enough to be seen after a
     * holiday, where the broker's default (7 days) can drop poison nobody has looked at yet.
     */
    public static final Duration DEAD_LETTER_RETENTION = Duration.ofDays(28);

    public static List<TopicSpec> topics(int partitions) {
        return topics(partitions, DEAD_LETTER_RETENTION);
    }

    /** The layout, dead-letter topics keeping their records for {@code deadLetterRetention}. */
    public static List<TopicSpec> topics(int partitions, Duration deadLetterRetention) {
        if (deadLetterRetention.isNegative() || deadLetterRetention.isZero()) {
            throw new IllegalArgumentException("dead-letter retention must be positive, got " + deadLetterRetention);
        }
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
        Map<String, String> deadLetters = Map.of("retention.ms", String.valueOf(deadLetterRetention.toMillis()));
        Flow.deadLetterTopics().forEach(name -> specs.add(new TopicSpec(name, partitions, deadLetters)));
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
