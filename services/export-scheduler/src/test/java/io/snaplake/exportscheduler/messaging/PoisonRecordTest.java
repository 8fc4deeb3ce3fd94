package io.snaplake.exportscheduler.messaging;

import static io.snaplake.exportscheduler.messaging.SchedulerTestEnvironment.DLQ;
import static io.snaplake.exportscheduler.messaging.SchedulerTestEnvironment.INPUT;
import static io.snaplake.exportscheduler.messaging.SchedulerTestEnvironment.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.snaplake.events.ExportStarted;
import io.snaplake.events.SnapshotCreated;
import io.snaplake.exportscheduler.Snapshots;
import io.snaplake.exportscheduler.aws.RdsApiDouble;
import io.snaplake.pipeline.SnapshotKeys;
import io.snaplake.testkit.KafkaTopics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The binder with a real broker and registry: records on snaplake.snapshots.created that are not valid
 * Confluent-wire Avro go to the dead-letter topic with the reason, and the consumer goes on with the next
 * record.
 */
class PoisonRecordTest {

    @BeforeAll
    static void topics() {
        SchedulerTestEnvironment.createTopics();
    }

    @Test
    void poisonRecordsLandInTheDeadLetterTopic_withTheReason_andTheConsumerGoesOn() throws Exception {
        SnapshotCreated valid = Snapshots.created("poison-neighbour", Instant.parse("2026-11-20T03:10:00Z"));
        String key = SnapshotKeys.recordKey(valid.getSnapshot());
        byte[] validBytes = KafkaTopics.serialize(INPUT, valid);
        Map<String, byte[]> poison = Map.of(
                "wrong magic byte", new byte[] {1, 0, 0, 0, 1, 2, 4, 6},
                "unknown schema id", new byte[] {0, 0x7f, 0x7f, 0x7f, 0x7f, 2, 4, 6},
                "truncated", Arrays.copyOf(validBytes, validBytes.length / 2));

        try (RdsApiDouble rds = new RdsApiDouble(5);
                ConfigurableApplicationContext app = SchedulerTestEnvironment.start(rds.endpoint());
                var deadLetters = SchedulerTestEnvironment.TopicRecorder.bytes(DLQ);
                var started = SchedulerTestEnvironment.TopicRecorder.<ExportStarted>avro(STARTED, false)) {
            // One key, so one partition for all: the valid record comes after the poison.
            Map<String, RecordMetadata> sent = new java.util.LinkedHashMap<>();
            for (String kind : List.of("wrong magic byte", "unknown schema id", "truncated")) {
                sent.put(kind, KafkaTopics.sendBytes(INPUT, key, poison.get(kind)));
            }
            KafkaTopics.sendBytes(INPUT, key, validBytes);

            await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> assertThat(deadLetters.records()).hasSize(3));
            for (String kind : sent.keySet()) {
                RecordMetadata original = sent.get(kind);
                ConsumerRecord<String, byte[]> dead = deadLetters.records().stream()
                        .filter(r -> header(r, "kafka_dlt-original-offset").equals(Long.toString(original.offset()))
                                && header(r, "kafka_dlt-original-partition").equals(Integer.toString(original.partition())))
                        .findFirst().orElseThrow(() -> new AssertionError("no dead letter for " + kind));
                assertThat(dead.value()).as(kind).isEqualTo(poison.get(kind));
                assertThat(header(dead, "kafka_dlt-original-topic")).isEqualTo(INPUT);
                assertThat(header(dead, "kafka_dlt-exception-message")).as(kind)
                        .startsWith("failed to deserialize: Record on topic '" + INPUT + "'");
            }
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(started.values())
                    .extracting(ExportStarted::getSnapshot).contains(valid.getSnapshot()));
            rds.completeAllRunning();
        }
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        if (header == null) {
            return "";
        }
        byte[] value = header.value();
        if (value.length == 4 && name.endsWith("partition")) {
            return Integer.toString(java.nio.ByteBuffer.wrap(value).getInt());
        }
        if (value.length == 8 && name.endsWith("offset")) {
            return Long.toString(java.nio.ByteBuffer.wrap(value).getLong());
        }
        return new String(value, StandardCharsets.UTF_8);
    }
}
