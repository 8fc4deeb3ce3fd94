package io.snaplake.exportscheduler.messaging;

import static io.snaplake.exportscheduler.messaging.SchedulerTestEnvironment.STATE;
import static org.assertj.core.api.Assertions.assertThat;

import io.snaplake.events.ExportTaskState;
import io.snaplake.events.ExportTaskStatus;
import io.snaplake.events.SnapshotCreated;
import io.snaplake.exportscheduler.Snapshots;
import io.snaplake.exportscheduler.domain.ExportTaskIds;
import io.snaplake.testkit.LocalInfra;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The state topic on the real broker and registry: a deleted (expired) state is a tombstone a read-back skips. */
class KafkaExportStateStoreTest {

    private static final Instant TAKEN = Instant.parse("2026-11-20T03:00:00Z");

    @BeforeAll
    static void topics() {
        SchedulerTestEnvironment.createTopics();
    }

    @Test
    void aDeletedState_isNotReadBack_andTheOthersAre() {
        Map<String, Object> producer = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalInfra.kafka().bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, "io.snaplake.serde.AvroSerializer",
                "schema.registry.url", LocalInfra.registry().url());
        Map<String, Object> consumer = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalInfra.kafka().bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, "io.snaplake.serde.AvroDeserializer",
                "schema.registry.url", LocalInfra.registry().url(),
                "specific.avro.reader", "true");
        int partition = 2;
        ExportTaskState expired = completed(Snapshots.created("tombstone-expired", TAKEN));
        ExportTaskState kept = completed(Snapshots.created("tombstone-kept", TAKEN));
        try (KafkaExportStateStore store = new KafkaExportStateStore(STATE, producer, consumer, Duration.ofSeconds(15))) {
            store.save(expired, partition);
            store.save(kept, partition);

            store.delete(expired.getSnapshot(), partition);

            // Other tests of this JVM may keep states on the same partition: only this test's clusters are compared.
            assertThat(store.restore(List.of(partition)).get(partition))
                    .filteredOn(state -> state.getSnapshot().getClusterId().startsWith("tombstone-"))
                    .containsExactly(kept);
        }
    }

    private static ExportTaskState completed(SnapshotCreated created) {
        return ExportTaskState.newBuilder()
                .setSnapshot(created.getSnapshot())
                .setRequest(created.getMetadata())
                .setStatus(ExportTaskStatus.COMPLETED)
                .setAttempt(1)
                .setExportTaskId(ExportTaskIds.forSnapshot(created.getSnapshot(), 1))
                .setBucket("lake-exports")
                .setPrefix("exports")
                .setIamRoleArn("arn:aws:iam::123456789012:role/rds-export")
                .setKmsKeyId("arn:aws:kms:us-east-1:123456789012:key/export")
                .setRequestedAt(TAKEN)
                .setStartedAt(TAKEN)
                .setFinishedAt(TAKEN.plus(Duration.ofMinutes(20)))
                .setPreviousExportMillis(List.of(Duration.ofMinutes(18).toMillis()))
                .build();
    }
}
