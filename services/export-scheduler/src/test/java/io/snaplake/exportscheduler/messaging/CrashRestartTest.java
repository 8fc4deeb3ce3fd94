package io.snaplake.exportscheduler.messaging;

import static io.snaplake.exportscheduler.messaging.SchedulerTestEnvironment.COMPLETED;
import static io.snaplake.exportscheduler.messaging.SchedulerTestEnvironment.STATE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.snaplake.events.ExportCompleted;
import io.snaplake.events.ExportTaskState;
import io.snaplake.events.ExportTaskStatus;
import io.snaplake.events.SnapshotCreated;
import io.snaplake.exportscheduler.ExportSchedulerApplication;
import io.snaplake.exportscheduler.Snapshots;
import io.snaplake.exportscheduler.aws.RdsApiDouble;
import io.snaplake.exportscheduler.domain.ExportTaskIds;
import io.snaplake.testkit.ChildProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real crash: the service runs as a child JVM and is killed (SIGKILL) with 5 exports in progress and 3
 * waiting; a new instance takes over from the state topic on the real broker. RDS is {@link RdsApiDouble}
 * (limit 5, exports run until the test completes them), because moto neither enforces the limit nor keeps
 * an export running.
 */
class CrashRestartTest {

    private static final Instant T0 = Instant.parse("2026-11-21T03:00:00Z");

    @BeforeAll
    static void topics() {
        SchedulerTestEnvironment.createTopics();
    }

    @Test
    void afterACrashWithFiveRunningAndThreeWaiting_allEightCompleteOnce_eachWithOneEventId() throws Exception {
        List<SnapshotCreated> requests = IntStream.range(0, 8)
                .mapToObj(i -> Snapshots.created("crash-" + i, T0.plus(Duration.ofMinutes(i))))
                .toList();
        Set<String> ours = requests.stream().map(r -> r.getSnapshot().getSnapshotArn()).collect(Collectors.toSet());

        try (RdsApiDouble rds = new RdsApiDouble(5);
                var state = SchedulerTestEnvironment.TopicRecorder.<ExportTaskState>avro(STATE, true);
                var completed = SchedulerTestEnvironment.TopicRecorder.<ExportCompleted>avro(COMPLETED, false)) {
            ChildProcess firstReplica = startChildProcess(rds);
            try {
                requests.forEach(SchedulerTestEnvironment::request);

                await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
                    assertThat(rds.runningTaskIds()).hasSize(5);
                    assertThat(latestStatuses(state, ours).values()).containsOnly(ExportTaskStatus.IN_PROGRESS, ExportTaskStatus.WAITING)
                            .filteredOn(status -> status == ExportTaskStatus.WAITING).hasSize(3);
                });
            } finally {
                firstReplica.kill();
            }
            // Two exports finish while no scheduler runs.
            List<String> runningAtCrash = rds.runningTaskIds();
            rds.complete(runningAtCrash.get(0), 2, null);
            rds.complete(runningAtCrash.get(1), 2, null);

            try (ConfigurableApplicationContext restarted = SchedulerTestEnvironment.start(rds.endpoint())) {
                await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> assertThat(rds.runningTaskIds()).hasSize(5));
                rds.completeAllRunning();
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(rds.runningTaskIds()).hasSize(1));
                rds.completeAllRunning();

                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(completedBySnapshot(completed, ours)).hasSize(8));
            }

            assertThat(rds.taskIds()).containsExactlyInAnyOrderElementsOf(
                    requests.stream().map(r -> ExportTaskIds.forSnapshot(r.getSnapshot(), 1)).toList());
            requests.forEach(r -> assertThat(rds.startCalls(ExportTaskIds.forSnapshot(r.getSnapshot(), 1))).isLessThanOrEqualTo(2));
            completedBySnapshot(completed, ours).forEach((arn, events) -> assertThat(events.stream()
                    .map(e -> e.getMetadata().getEventId()).distinct()).as(arn).hasSize(1));
        }
    }

    private static ChildProcess startChildProcess(RdsApiDouble rds) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Daws.accessKeyId=test", "-Daws.secretAccessKey=test",
                "-cp", System.getProperty("java.class.path"),
                ExportSchedulerApplication.class.getName()));
        command.addAll(SchedulerTestEnvironment.arguments(rds.endpoint()));
        return ChildProcess.builder("first scheduler replica", command)
                .log(Path.of("target", "crash-test-first-replica.log"), false).start();
    }

    private static Map<String, ExportTaskStatus> latestStatuses(SchedulerTestEnvironment.TopicRecorder<ExportTaskState> state,
            Set<String> ours) {
        Map<String, ExportTaskStatus> latest = new HashMap<>();
        state.values().stream().filter(s -> s != null && ours.contains(s.getSnapshot().getSnapshotArn()))
                .forEach(s -> latest.put(s.getSnapshot().getSnapshotArn(), s.getStatus()));
        return latest;
    }

    private static Map<String, List<ExportCompleted>> completedBySnapshot(
            SchedulerTestEnvironment.TopicRecorder<ExportCompleted> completed, Set<String> ours) {
        return completed.values().stream().filter(e -> ours.contains(e.getSnapshot().getSnapshotArn()))
                .collect(Collectors.groupingBy(e -> e.getSnapshot().getSnapshotArn()));
    }
}
