package io.snaplake.exportscheduler.messaging;

import static io.snaplake.exportscheduler.messaging.SchedulerTestEnvironment.DLQ;
import static io.snaplake.exportscheduler.messaging.SchedulerTestEnvironment.STARTED;
import static io.snaplake.exportscheduler.messaging.SchedulerTestEnvironment.STATE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.snaplake.events.ExportStarted;
import io.snaplake.events.ExportTaskState;
import io.snaplake.events.ExportTaskStatus;
import io.snaplake.events.SnapshotCreated;
import io.snaplake.exportscheduler.ExportSchedulerApplication;
import io.snaplake.exportscheduler.Snapshots;
import io.snaplake.exportscheduler.aws.RdsApiDouble;
import io.snaplake.testkit.LocalInfra;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The state topic stops taking writes for longer than the binding's old three attempts of one state save
 * each, as it does while a broker roll moves its partitions, on the real broker. The single in-JVM broker
 * cannot roll (and it caps {@code min.insync.replicas} at the replication factor, so NOT_ENOUGH_REPLICAS
 * cannot be provoked): the state topic's {@code max.message.bytes} is set below a state's size for the
 * outage, so every save fails at once, and set back after. The input topic, the outputs and the
 * dead-letter topic stay writable, so a record dead-lettered during the outage would be seen.
 */
class BrokerRollTest {

    private static final Duration SAVE_TIMEOUT = Duration.ofSeconds(2);
    /** The binding's old three attempts with its 1 s and 2 s back-offs took a few seconds: the outage lasts longer. */
    private static final Duration ROLL = Duration.ofSeconds(20);

    @BeforeAll
    static void topics() {
        SchedulerTestEnvironment.createTopics();
    }

    @Test
    void aSnapshotCreatedReceivedDuringABrokerRoll_isRecordedAfterIt_andNotDeadLettered() throws Exception {
        SnapshotCreated warmUp = Snapshots.created("roll-warm-up", Instant.parse("2026-11-23T03:00:00Z"));
        SnapshotCreated duringRoll = Snapshots.created("roll-orders", Instant.parse("2026-11-23T03:10:00Z"));
        try (RdsApiDouble rds = new RdsApiDouble(5);
                ConfigurableApplicationContext app = start(rds);
                var deadLetters = SchedulerTestEnvironment.TopicRecorder.bytes(DLQ);
                var state = SchedulerTestEnvironment.TopicRecorder.<ExportTaskState>avro(STATE, false);
                var started = SchedulerTestEnvironment.TopicRecorder.<ExportStarted>avro(STARTED, false)) {
            SchedulerTestEnvironment.request(warmUp);
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(started.values())
                    .extracting(ExportStarted::getSnapshot).contains(warmUp.getSnapshot()));

            Instant rollStarted = Instant.now();
            refuseStateWrites(true);
            try {
                SchedulerTestEnvironment.request(duringRoll);
                await().atMost(ROLL).pollDelay(ROLL.minusSeconds(1)).until(() -> true);
                assertThat(deadLetters.records().size()).as("dead letters during the outage").isZero();
            } finally {
                refuseStateWrites(false);
            }
            assertThat(Duration.between(rollStarted, Instant.now())).isGreaterThanOrEqualTo(ROLL.minusSeconds(1));

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(started.values())
                    .extracting(ExportStarted::getSnapshot).contains(duringRoll.getSnapshot()));
            assertThat(state.values()).filteredOn(s -> s != null && s.getSnapshot().equals(duringRoll.getSnapshot()))
                    .extracting(ExportTaskState::getStatus).startsWith(ExportTaskStatus.WAITING);
            assertThat(deadLetters.records().size()).as("dead letters").isZero();
            rds.completeAllRunning();
        } finally {
            refuseStateWrites(false);
        }
    }

    private static ConfigurableApplicationContext start(RdsApiDouble rds) {
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
        List<String> arguments = new java.util.ArrayList<>(SchedulerTestEnvironment.arguments(rds.endpoint()));
        arguments.add("--snaplake.export-scheduler.state.save-timeout=" + SAVE_TIMEOUT.toSeconds() + "s");
        return new SpringApplicationBuilder(ExportSchedulerApplication.class).run(arguments.toArray(String[]::new));
    }

    private static void refuseStateWrites(boolean refuse) throws Exception {
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, STATE);
        ConfigEntry limit = new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "64");
        AlterConfigOp set = new AlterConfigOp(limit, refuse ? AlterConfigOp.OpType.SET : AlterConfigOp.OpType.DELETE);
        LocalInfra.kafka().admin().incrementalAlterConfigs(Map.of(topic, List.of(set))).all().get();
        await().atMost(Duration.ofSeconds(10)).until(() -> refuse == "64".equals(LocalInfra.kafka().admin()
                .describeConfigs(List.of(topic)).all().get().get(topic).get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG).value()));
    }
}
