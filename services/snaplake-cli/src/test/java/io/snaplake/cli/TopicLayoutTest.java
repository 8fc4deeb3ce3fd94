package io.snaplake.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snaplake.cli.TopicLayout.TopicSpec;
import io.snaplake.pipeline.Stage;
import io.snaplake.pipeline.Topic;
import io.snaplake.testkit.LocalInfra;
import io.snaplake.testkit.LocalKafka;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

class TopicLayoutTest {

    @Test
    void stateTopics_areCompacted_withAsManyPartitionsAsTheirInputs() {
        List<TopicSpec> topics = TopicLayout.topics(6);

        assertThat(topics).filteredOn(t -> t.name().equals(Topic.EXPORT_SCHEDULER_STATE.topicName()))
                .containsExactly(new TopicSpec("snaplake.export-scheduler.state", 6, Map.of("cleanup.policy", "compact")));
        assertThat(topics).filteredOn(t -> t.name().equals(Topic.CRAWLER_RUNNER_STATE.topicName()))
                .containsExactly(new TopicSpec("snaplake.crawler-runner.state", 6, Map.of("cleanup.policy", "compact")));
        assertThat(topics).filteredOn(t -> t.name().equals(Topic.SNAPSHOTS_CREATED.topicName()))
                .containsExactly(new TopicSpec("snaplake.snapshots.created", 6, Map.of()));
    }

    @Test
    void everyEventTopic_andEveryDeadLetterTopicTheServicesName_isCreated() throws IOException {
        List<String> names = TopicLayout.topics(3).stream().map(TopicSpec::name).toList();

        assertThat(names).doesNotHaveDuplicates()
                .containsAll(Stream.of(Topic.values()).map(Topic::topicName).toList())
                .containsAll(deadLetterTopicsNamedByTheServices());
    }

    @Test
    void createMissing_createsEveryTopicOfTheLayout_andLeavesExistingOnesAsTheyAre() throws Exception {
        Admin admin = LocalInfra.kafka().admin();
        // One of them exists already (another test's, or an earlier run's): it is kept, not an error.
        LocalInfra.kafka().createTopics(Topic.SNAPSHOTS_CREATED.topicName());

        TopicLayout.createMissing(admin, LocalKafka.PARTITIONS);
        TopicLayout.createMissing(admin, LocalKafka.PARTITIONS);

        assertThat(admin.listTopics().names().get())
                .containsAll(TopicLayout.topics(LocalKafka.PARTITIONS).stream().map(TopicSpec::name).toList());
    }

    @Test
    void deadLetterTopics_keepTheirRecordsFourWeeks_orAsLongAsTheOperatorSays() throws Exception {
        assertThat(TopicLayout.topics(3)).filteredOn(t -> t.name().endsWith(".dlq")).isNotEmpty()
                .allSatisfy(t -> assertThat(t.configs()).containsEntry("retention.ms", String.valueOf(Duration.ofDays(28).toMillis())));
        assertThat(TopicLayout.topics(3, Duration.ofDays(90))).filteredOn(t -> t.name().endsWith(".dlq"))
                .allSatisfy(t -> assertThat(t.configs()).containsEntry("retention.ms", String.valueOf(Duration.ofDays(90).toMillis())));
        assertThat(TopicLayout.topics(3)).filteredOn(t -> !t.name().endsWith(".dlq"))
                .allSatisfy(t -> assertThat(t.configs()).doesNotContainKey("retention.ms"));

        // As the broker has it once created.
        Admin admin = LocalInfra.kafka().admin();
        TopicLayout.createMissing(admin, LocalKafka.PARTITIONS);
        String deadLetterTopic = Topic.EXPORTS_COMPLETED.deadLetterTopic(Stage.PARQUET_COPIER);
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, deadLetterTopic);
        assertThat(admin.describeConfigs(List.of(resource)).all().get().get(resource).get("retention.ms").value())
                .isEqualTo(String.valueOf(Duration.ofDays(28).toMillis()));
    }

    @Test
    void refusesZeroPartitions() {
        assertThatThrownBy(() -> TopicLayout.topics(0)).hasMessageContaining("partitions must be at least 1");
    }

    /** Every {@code dlq-name} in a service's application.yml: the binder would fail to publish to a missing one. */
    private static List<String> deadLetterTopicsNamedByTheServices() throws IOException {
        Path services = Path.of("..").toAbsolutePath().normalize();
        Pattern dlqName = Pattern.compile("dlq-name:\\s*(\\S+)");
        try (Stream<Path> files = Files.list(services)) {
            List<String> found = files.map(dir -> dir.resolve("src/main/resources/application.yml"))
                    .filter(Files::exists)
                    .flatMap(file -> {
                        try {
                            Matcher matcher = dlqName.matcher(Files.readString(file));
                            return matcher.results().map(m -> m.group(1)).toList().stream();
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    }).toList();
            assertThat(found).as("dlq-name entries under " + services).isNotEmpty();
            return found;
        }
    }
}
