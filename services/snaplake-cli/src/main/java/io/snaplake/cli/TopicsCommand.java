package io.snaplake.cli;

import io.snaplake.cli.TopicLayout.TopicSpec;
import io.snaplake.cli.ops.KafkaConnection;
import io.snaplake.pipeline.Stage;
import io.snaplake.pipeline.Topic;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Prints the topic list (the same table as the README's), or with {@code --create} creates every topic a
 * deployment needs ({@link TopicLayout}); the Kubernetes topics Job runs this.
 */
@Command(name = "topics", mixinStandardHelpOptions = true,
        description = "List snaplake's topics, their schema, producer and consumers; --create creates them.")
public final class TopicsCommand implements Callable<Integer> {

    @Option(names = "--create", description = "Create every topic (event, dead-letter, state) that does not exist.")
    boolean create;

    @Option(names = "--partitions", defaultValue = "${env:SNAPLAKE_TOPIC_PARTITIONS:-3}",
            description = "Partitions of every topic; the most replicas a consumer may run (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--replication-factor", defaultValue = "${env:SNAPLAKE_TOPIC_REPLICATION_FACTOR:--1}",
            description = "Replicas of every partition; -1 takes the broker's default.replication.factor.")
    short replicationFactor;

    @Option(names = "--dead-letter-retention", defaultValue = "${env:SNAPLAKE_TOPIC_DEAD_LETTER_RETENTION:-P28D}",
            description = "How long dead-letter topics keep their records (ISO-8601, default ${DEFAULT-VALUE}); the "
                    + "broker's default (often 7 days) could drop poison before anyone looks.")
    Duration deadLetterRetention;

    @Mixin
    KafkaConnection kafka = new KafkaConnection();

    @Override
    public Integer call() throws Exception {
        if (!create) {
            System.out.println(TopicTable.markdown());
            return 0;
        }
        Properties config = kafka.clientProperties();
        config.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "snaplake-topics");
        int problems = 0;
        try (Admin admin = Admin.create(config)) {
            List<TopicSpec> specs = TopicLayout.topics(partitions, deadLetterRetention);
            for (TopicSpec spec : specs) {
                try {
                    admin.createTopics(List.of(spec.toNewTopic(replicationFactor))).all().get();
                    System.out.printf("created  %s (%d partitions%s)%n", spec.name(), spec.partitions(), describe(spec.configs()));
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                    TopicDescription existing = admin.describeTopics(List.of(spec.name())).allTopicNames().get().get(spec.name());
                    int actual = existing.partitions().size();
                    if (actual != spec.partitions()) {
                        // Changing partitions moves keys between partitions: the state topic would no longer
                        // mirror the input's partitions. An operator decides; this command only reports it.
                        System.out.printf("MISMATCH %s has %d partitions, expected %d%n", spec.name(), actual, spec.partitions());
                        problems++;
                    } else {
                        System.out.printf("exists   %s (%d partitions)%n", spec.name(), actual);
                    }
                }
            }
        }
        return problems == 0 ? 0 : 1;
    }

    private static String describe(Map<String, String> configs) {
        return configs.isEmpty() ? "" : ", " + configs.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }

    /** The topic table as Markdown, as it appears in the README. */
    public static final class TopicTable {

        private TopicTable() {
        }

        public static String markdown() {
            StringBuilder table = new StringBuilder()
                    .append("| topic | key | value schema | producer | consumers |\n")
                    .append("|---|---|---|---|---|\n");
            for (Topic topic : Topic.values()) {
                String consumers = topic.consumers().isEmpty()
                        ? "(none yet)"
                        : topic.consumers().stream().map(Stage::serviceName).collect(Collectors.joining(", "));
                table.append("| `").append(topic.topicName()).append("` | `").append(topic.keyDescription()).append("` | ")
                        .append(topic.valueType().getSimpleName()).append(" | ")
                        .append(topic.producer().serviceName()).append(" | ")
                        .append(consumers).append(" |\n");
            }
            return table.toString().strip();
        }
    }
}
