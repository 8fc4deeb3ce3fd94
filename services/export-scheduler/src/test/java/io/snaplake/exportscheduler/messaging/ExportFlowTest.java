package io.snaplake.exportscheduler.messaging;

import static io.snaplake.exportscheduler.messaging.SchedulerTestEnvironment.COMPLETED;
import static io.snaplake.exportscheduler.messaging.SchedulerTestEnvironment.FAILURES;
import static io.snaplake.exportscheduler.messaging.SchedulerTestEnvironment.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.snaplake.events.ExportCompleted;
import io.snaplake.events.ExportStarted;
import io.snaplake.events.PipelineFailure;
import io.snaplake.events.SnapshotCreated;
import io.snaplake.exportscheduler.ExpectedEvents;
import io.snaplake.exportscheduler.Snapshots;
import io.snaplake.exportscheduler.aws.RdsApiDouble;
import io.snaplake.exportscheduler.domain.ExportTaskIds;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole service on the real broker and registry, RDS played by {@link RdsApiDouble} (the export runs
 * until the test completes or fails it, which moto cannot do): SnapshotCreated in; ExportStarted,
 * ExportCompleted and failures out; a replay re-emits ExportCompleted without a second export.
 */
class ExportFlowTest {

    private static final Instant T0 = Instant.parse("2026-11-22T03:00:00Z");
    private static final String PREFIX = "exports/flow-orders/2026-11-22";

    @BeforeAll
    static void topics() {
        SchedulerTestEnvironment.createTopics();
    }

    @Test
    void exportsASnapshot_emitsStartedAndCompleted_andAReplayReEmitsCompletedWithoutExportingAgain() throws Exception {
        SnapshotCreated request = Snapshots.created("flow-orders", T0);
        String taskId = ExportTaskIds.forSnapshot(request.getSnapshot(), 1);
        try (RdsApiDouble rds = new RdsApiDouble(5);
                ConfigurableApplicationContext app = SchedulerTestEnvironment.start(rds.endpoint());
                var started = SchedulerTestEnvironment.TopicRecorder.<ExportStarted>avro(STARTED, false);
                var completed = SchedulerTestEnvironment.TopicRecorder.<ExportCompleted>avro(COMPLETED, false)) {
            SchedulerTestEnvironment.request(request);
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(started.values()).hasSize(1));
            ExportStarted actualStarted = started.values().get(0);
            assertThat(actualStarted).isEqualTo(ExpectedEvents.started(request, PREFIX, actualStarted.getMetadata().getOccurredAt())
                    .setWaitedMillis(actualStarted.getWaitedMillis())
                    .build());

            rds.complete(taskId, 12, "Database tmp was skipped");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(completed.values()).hasSize(1));
            ExportCompleted actual = completed.values().get(0);
            assertThat(actual).isEqualTo(ExpectedEvents.completed(request, PREFIX, actual.getMetadata().getOccurredAt())
                    .setTotalExtractedDataInGb(12L)
                    .setWarningMessage("Database tmp was skipped")
                    .setStartedAt(actual.getStartedAt())
                    .setCompletedAt(actual.getCompletedAt())
                    .build());

            SnapshotCreated replay = Snapshots.replayOf(request, "replay-1", false);
            SchedulerTestEnvironment.request(replay);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(completed.values()).hasSize(2));
            assertThat(completed.values().get(1).getMetadata().getReplayOf()).isEqualTo(actual.getMetadata().getEventId());
            assertThat(rds.startCalls(taskId)).isEqualTo(1);
            assertThat(rds.taskIds()).containsExactly(taskId);
        }
    }

    @Test
    void aFailedExport_emitsAPipelineFailureWithTheCause() throws Exception {
        SnapshotCreated request = Snapshots.created("flow-billing", T0);
        String taskId = ExportTaskIds.forSnapshot(request.getSnapshot(), 1);
        try (RdsApiDouble rds = new RdsApiDouble(5);
                ConfigurableApplicationContext app = SchedulerTestEnvironment.start(rds.endpoint());
                var failures = SchedulerTestEnvironment.TopicRecorder.<PipelineFailure>avro(FAILURES, false)) {
            SchedulerTestEnvironment.request(request);
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(rds.runningTaskIds()).contains(taskId));

            rds.fail(taskId, "FAILED", "The KMS key is disabled");

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(failures.values()).hasSize(1));
            PipelineFailure failure = failures.values().get(0);
            assertThat(failure.getReason()).isEqualTo("EXPORT_FAILED");
            assertThat(failure.getMessage()).isEqualTo("Export task " + taskId + " ended FAILED: The KMS key is disabled");
            assertThat(failure.getDetails()).containsEntry("failureCause", "The KMS key is disabled")
                    .containsEntry("exportTaskId", taskId);
            assertThat(failure.getSnapshot()).isEqualTo(request.getSnapshot());
        }
    }
}
