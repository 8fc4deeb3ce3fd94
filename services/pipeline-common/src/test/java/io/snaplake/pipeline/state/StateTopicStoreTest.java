package io.snaplake.pipeline.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snaplake.events.SnapshotRef;
import io.snaplake.events.SnapshotSourceType;
import io.snaplake.pipeline.messaging.FailureClassifier;
import io.snaplake.testkit.KafkaTopics;
import io.snaplake.testkit.LocalInfra;
import io.snaplake.testkit.LocalKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

/**
 * The shared state topic on the JVM's real broker and registry, read with the binder's own consumer settings
 * (Spring's ErrorHandlingDeserializer in front of the Avro one): keyed puts and tombstones are read back per
 * partition; whatever keeps the state from being written or read is an outage, never poison.
 */
class StateTopicStoreTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    @Test
    void readsBackTheLatestValueOfEachKey_perPartition_leavingDeletedKeysOut() {
        String topic = compactedTopic();
        try (StateTopicStore<SnapshotRef> store = store(topic, LocalInfra.kafka().bootstrapServers(), TIMEOUT)) {
            store.put(0, "orders", snapshot("orders", 1));
            store.put(0, "billing", snapshot("billing", 1));
            store.put(1, "reporting", snapshot("reporting", 1));
            store.put(0, "orders", snapshot("orders", 2));
            store.delete(0, "billing");

            Map<Integer, List<StateRecord<SnapshotRef>>> restored = store.restore(List.of(1, 0, 2));

            Map<Integer, Map<String, SnapshotRef>> values = new LinkedHashMap<>();
            restored.forEach((partition, records) -> {
                Map<String, SnapshotRef> byKey = new LinkedHashMap<>();
                records.forEach(record -> byKey.put(record.key(), record.value()));
                values.put(partition, byKey);
            });
            assertThat(values).containsExactly(
                    Map.entry(1, Map.of("reporting", snapshot("reporting", 1))),
                    Map.entry(0, Map.of("orders", snapshot("orders", 2))),
                    Map.entry(2, Map.of()));
        }
    }

    @Test
    void keepsTheTimestampAndHeadersARecordWasWrittenWith() {
        String topic = compactedTopic();
        Instant recorded = Instant.parse("2026-11-20T06:30:00Z");
        try (StateTopicStore<SnapshotRef> store = store(topic, LocalInfra.kafka().bootstrapServers(), TIMEOUT)) {
            store.put(2, "orders", snapshot("orders", 1), recorded, Map.of("snaplake.digest", "abc123"));

            StateRecord<SnapshotRef> restored = store.restore(List.of(2)).get(2).get(0);

            assertThat(restored).isEqualTo(new StateRecord<>(2, restored.offset(), "orders", snapshot("orders", 1), recorded,
                    Map.of("snaplake.digest", "abc123")));
            assertThat(restored.header("snaplake.digest")).contains("abc123");
        }
    }

    @Test
    void aRecordItCannotRead_stopsTheReadBackAsAnOutage_insteadOfBeingSkipped() {
        String topic = compactedTopic();
        KafkaTopics.sendBytes(topic, "orders", "not Avro".getBytes(StandardCharsets.UTF_8));
        try (StateTopicStore<SnapshotRef> store = store(topic, LocalInfra.kafka().bootstrapServers(), TIMEOUT)) {
            assertThatThrownBy(() -> store.restore(List.of(0, 1, 2)))
                    .isInstanceOf(StateUnavailableException.class)
                    .hasMessageContaining(topic)
                    .satisfies(e -> assertThat(FailureClassifier.projectRules().classify(e)).isEqualTo(FailureClassifier.Kind.OUTAGE));
        }
    }

    @Test
    void aPartitionTheTopicDoesNotHave_isAnOutage_sayingHowToCreateTheTopic() {
        String topic = compactedTopic();
        try (StateTopicStore<SnapshotRef> store = store(topic, LocalInfra.kafka().bootstrapServers(), TIMEOUT)) {
            assertThatThrownBy(() -> store.restore(List.of(LocalKafka.PARTITIONS)))
                    .isInstanceOf(StateUnavailableException.class)
                    .hasMessageContaining("State topic " + topic + " has " + LocalKafka.PARTITIONS + " partitions but input partition "
                            + LocalKafka.PARTITIONS + " was assigned");
        }
    }

    @Test
    void aWriteWhileTheBrokerIsAway_failsWithinItsTimeout_asAnOutage() {
        // Nothing listens on port 1: the producer never gets the topic's metadata.
        try (StateTopicStore<SnapshotRef> store = store("state-unreachable", "127.0.0.1:1", Duration.ofSeconds(1))) {
            long before = System.nanoTime();
            assertThatThrownBy(() -> store.put(0, "orders", snapshot("orders", 1)))
                    .isInstanceOf(StateUnavailableException.class)
                    .hasMessageContaining("could not write orders on state-unreachable partition 0")
                    .satisfies(e -> assertThat(FailureClassifier.projectRules().classify(e)).isEqualTo(FailureClassifier.Kind.OUTAGE));
            assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(10));
        }
    }

    /** The binder's client settings as snaplake-defaults.yml has them. */
    private static StateTopicStore<SnapshotRef> store(String topic, String brokers, Duration timeout) {
        String registry = LocalInfra.registry().url();
        Map<String, Object> producer = Map.of(
                "bootstrap.servers", brokers,
                "key.serializer", "org.apache.kafka.common.serialization.StringSerializer",
                "value.serializer", "io.snaplake.serde.AvroSerializer",
                "schema.registry.url", registry,
                "enable.idempotence", "true");
        Map<String, Object> consumer = Map.of(
                "bootstrap.servers", brokers,
                "group.id", "ignored-by-the-store",
                "key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer",
                "value.deserializer", "org.springframework.kafka.support.serializer.ErrorHandlingDeserializer",
                StateTopicStore.VALUE_DELEGATE, "io.snaplake.serde.AvroDeserializer",
                "schema.registry.url", registry,
                "specific.avro.reader", "true");
        return new StateTopicStore<>(topic, SnapshotRef.class, producer, consumer, timeout);
    }

    private static String compactedTopic() {
        String topic = "state-" + UUID.randomUUID();
        try {
            LocalInfra.kafka().admin().createTopics(List.of(new NewTopic(topic, LocalKafka.PARTITIONS, (short) 1)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)))).all().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not create " + topic, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return topic;
    }

    private static SnapshotRef snapshot(String cluster, int day) {
        String id = "rds:" + cluster + "-2026-11-2" + day + "-03-10";
        return SnapshotRef.newBuilder().setAccountId("123456789012").setRegion("us-east-1")
                .setSourceType(SnapshotSourceType.CLUSTER).setClusterId(cluster).setSnapshotId(id)
                .setSnapshotArn("arn:aws:rds:us-east-1:123456789012:cluster-snapshot:" + id)
                .setSnapshotDate(LocalDate.parse("2026-11-2" + day)).build();
    }
}
