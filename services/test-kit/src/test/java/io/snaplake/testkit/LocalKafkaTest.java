package io.snaplake.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

class LocalKafkaTest {

    private final LocalKafka kafka = LocalInfra.kafka();

    @Test
    void deliversAProducedRecordToAConsumer() {
        String topic = "test-kit.test." + UUID.randomUUID();
        kafka.createTopics(topic);

        KafkaTopics.sendBytes(topic, "123456789012:orders", "hello".getBytes(StandardCharsets.UTF_8));

        try (KafkaConsumer<String, byte[]> consumer = KafkaTopics.bytesReader(topic)) {
            assertThat(KafkaTopics.awaitRecords(consumer)).singleElement().satisfies(record -> {
                assertThat(record.key()).isEqualTo("123456789012:orders");
                assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo("hello");
            });
        }
    }

    @Test
    void createsTopicsWithThreePartitions_andToleratesExistingOnes() throws Exception {
        String topic = "test-kit.test." + UUID.randomUUID();

        kafka.createTopics(topic, topic);
        kafka.createTopics(topic);

        TopicDescription description = kafka.admin().describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        assertThat(description.partitions()).hasSize(LocalKafka.PARTITIONS);
    }

    @Test
    void neverCreatesTopicsOnFirstUse() throws Exception {
        String brokerId = Integer.toString(kafka.admin().describeCluster().nodes().get().iterator().next().id());
        ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, brokerId);

        Config config = kafka.admin().describeConfigs(List.of(broker)).all().get().get(broker);

        assertThat(config.get("auto.create.topics.enable").value()).isEqualTo("false");
    }
}
