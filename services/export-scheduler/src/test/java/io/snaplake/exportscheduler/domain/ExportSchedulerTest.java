package io.snaplake.exportscheduler.domain;

import static io.snaplake.exportscheduler.domain.SchedulerTestKit.POLL;
import static io.snaplake.exportscheduler.domain.SchedulerTestKit.SETTINGS;
import static io.snaplake.exportscheduler.domain.SchedulerTestKit.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.snaplake.events.ExportCompleted;
import io.snaplake.events.ExportStarted;
import io.snaplake.events.ExportTaskState;
import io.snaplake.events.ExportTaskStatus;
import io.snaplake.events.PipelineFailure;
import io.snaplake.events.SnapshotCreated;
import io.snaplake.exportscheduler.ExpectedEvents;
import io.snaplake.exportscheduler.Snapshots;
import io.snaplake.exportscheduler.simulation.SimulatedRds;
import io.snaplake.exportscheduler.simulation.VirtualTime;
import io.snaplake.pipeline.EventMetadataFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The scheduling rules, in virtual time against {@link SimulatedRds}: a model of RDS's export API that
 * enforces the account's limit and runs each export for a chosen duration (moto enforces no limit and
 * completes exports at once, so it cannot show any of this). The SDK adapter is tested against moto and
 * against an HTTP double of RDS separately.
 */
class ExportSchedulerTest {

    private static final String PREFIX = "exports/orders/2026-11-20";

    private final SchedulerTestKit kit = new SchedulerTestKit();
    private final VirtualTime time = kit.time;
    private final Map<String, Duration> durations = kit.durations;
    private final SimulatedRds rds = kit.rds;
    private final Recorders.Events events = kit.events;
    private final Recorders.Store store = kit.store;
    private ExportScheduler scheduler = scheduler(POLL);

    @Test
    void startsAtMostTheLimit_andTheOthersWait() {
        scheduler = scheduler(POLL, Duration.ofMinutes(5));
        SimpleMeterRegistry meters = kit.meters;
        List<SnapshotCreated> requests = snapshotsOfClusters(8);
        requests.forEach(request -> scheduler.request(request, 0));

        time.runUntil(T0.plusSeconds(1));

        assertThat(rds.peakInProgress()).isEqualTo(5);
        assertThat(events.of(ExportStarted.class)).hasSize(5);
        assertThat(statuses()).containsEntry(ExportTaskStatus.IN_PROGRESS, 5).containsEntry(ExportTaskStatus.WAITING, 3);
        assertThat(meters.get("snaplake.exports.in.progress").gauge().value()).isEqualTo(5.0);
        assertThat(meters.get("snaplake.exports.waiting").gauge().value()).isEqualTo(3.0);
        assertThat(meters.get("snaplake.exports.oldest.waiting.age").gauge().value()).isEqualTo(1.0);

        time.runUntil(T0.plus(Duration.ofMinutes(10)));

        assertThat(meters.get("snaplake.exports.oldest.waiting.age").gauge().value()).isEqualTo(600.0);
    }

    @Test
    void reportsNoWaitingAge_whileNothingWaits() {
        scheduler = scheduler(POLL, Duration.ofMinutes(5));
        SimpleMeterRegistry meters = kit.meters;
        snapshotsOfClusters(5).forEach(request -> scheduler.request(request, 0));

        time.runUntil(T0.plusSeconds(1));

        assertThat(meters.get("snaplake.exports.waiting").gauge().value()).isZero();
        assertThat(meters.get("snaplake.exports.oldest.waiting.age").gauge().value()).isZero();
    }

    @Test
    void startsNextExport_whenASlotFrees() {
        List<SnapshotCreated> requests = snapshotsOfClusters(6);
        requests.forEach(request -> durations.put(request.getSnapshot().getSnapshotArn(), Duration.ofHours(2)));
        durations.put(requests.get(0).getSnapshot().getSnapshotArn(), Duration.ofMinutes(10));
        requests.forEach(request -> scheduler.request(request, 0));

        time.runUntil(T0.plus(Duration.ofMinutes(20)));

        SimulatedRds.ExportRun sixth = runOf(requests.get(5));
        assertThat(sixth.startedAt()).isBetween(T0.plus(Duration.ofMinutes(10)), T0.plus(Duration.ofMinutes(10)).plus(POLL));
        assertThat(rds.peakInProgress()).isEqualTo(5);
        assertThat(rds.limitFaults()).isZero();
    }

    @Test
    void startsWaitingSnapshots_inSnapshotTimeOrder_whenSlotsFreeElsewhere() {
        IntStream.range(0, 5).forEach(i -> rds.startedElsewhere("someone-else-" + i, Duration.ofMinutes(10 + i)));
        List<SnapshotCreated> requests = List.of(
                Snapshots.created("c", T0.minus(Duration.ofMinutes(10))),
                Snapshots.created("a", T0.minus(Duration.ofMinutes(30))),
                Snapshots.created("b", T0.minus(Duration.ofMinutes(20))));
        requests.forEach(request -> scheduler.request(request, 0));

        time.runUntil(T0.plus(Duration.ofMinutes(20)));

        assertThat(events.of(ExportStarted.class)).extracting(started -> started.getSnapshot().getClusterId())
                .containsExactly("a", "b", "c");
        assertThat(runOf(requests.get(1)).startedAt()).isBetween(T0.plus(Duration.ofMinutes(10)),
                T0.plus(Duration.ofMinutes(10)).plus(POLL));
    }

    @Test
    void twoReplicas_keepTheAccountWithinTheLimit_andExportEachSnapshotOnce() {
        Recorders.Events eventsOfA = new Recorders.Events();
        Recorders.Events eventsOfB = new Recorders.Events();
        ExportScheduler replicaA = replica(eventsOfA);
        ExportScheduler replicaB = replica(eventsOfB);
        // Snapshots arrive a minute apart, in turn on each replica's partition; exports last 20 to 70 minutes,
        // so slots free at different times and both replicas compete for each one.
        List<SnapshotCreated> toA = new ArrayList<>();
        List<SnapshotCreated> toB = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            SnapshotCreated forA = Snapshots.created("a-" + i, T0.plus(Duration.ofMinutes(2 * i)));
            SnapshotCreated forB = Snapshots.created("b-" + i, T0.plus(Duration.ofMinutes(2 * i + 1)));
            durations.put(forA.getSnapshot().getSnapshotArn(), Duration.ofMinutes(20 + 10 * i));
            durations.put(forB.getSnapshot().getSnapshotArn(), Duration.ofMinutes(70 - 10 * i));
            time.at(forA.getSnapshot().getSnapshotCreatedAt(), () -> replicaA.request(forA, 0));
            time.at(forB.getSnapshot().getSnapshotCreatedAt(), () -> replicaB.request(forB, 1));
            toA.add(forA);
            toB.add(forB);
        }

        time.runUntil(T0.plus(Duration.ofHours(4)));

        // SimulatedRds refuses a sixth export itself; no fault shows that each replica counted the account's
        // exports, the other replica's included, before starting.
        assertThat(rds.peakInProgress()).isEqualTo(5);
        assertThat(rds.limitFaults()).isZero();
        assertThat(rds.runs()).extracting(run -> run.request().exportTaskId())
                .containsExactlyInAnyOrderElementsOf(Stream.concat(toA.stream(), toB.stream()).map(ExportSchedulerTest::taskId).toList());
        assertThat(eventsOfA.of(ExportStarted.class)).extracting(ExportStarted::getExportTaskId)
                .containsExactlyInAnyOrderElementsOf(toA.stream().map(ExportSchedulerTest::taskId).toList());
        assertThat(eventsOfB.of(ExportStarted.class)).extracting(ExportStarted::getExportTaskId)
                .containsExactlyInAnyOrderElementsOf(toB.stream().map(ExportSchedulerTest::taskId).toList());
        assertThat(eventsOfA.of(ExportCompleted.class)).extracting(ExportCompleted::getExportTaskId)
                .containsExactlyInAnyOrderElementsOf(toA.stream().map(ExportSchedulerTest::taskId).toList());
        assertThat(eventsOfB.of(ExportCompleted.class)).extracting(ExportCompleted::getExportTaskId)
                .containsExactlyInAnyOrderElementsOf(toB.stream().map(ExportSchedulerTest::taskId).toList());
        assertThat(eventsOfA.of(PipelineFailure.class)).isEmpty();
        assertThat(eventsOfB.of(PipelineFailure.class)).isEmpty();
    }

    @Test
    void waitsForASlot_whenAwsAnswersExportTaskLimitReached() {
        SnapshotCreated request = Snapshots.created("orders", T0);
        rds.refuseNextStart(taskId(request), new RdsExportException.LimitReached("ExportTaskLimitReachedFault",
                "You have reached the limit of 5 concurrent export tasks", null));
        scheduler.request(request, 0);

        time.runUntil(T0.plus(Duration.ofHours(1)));

        assertThat(events.of(PipelineFailure.class)).isEmpty();
        assertThat(rds.startCalls()).isEqualTo(2);
        assertThat(runOf(request).startedAt()).isEqualTo(T0.plus(POLL));
        assertThat(events.of(ExportCompleted.class)).hasSize(1);
    }

    @Test
    void emitsExportStartedAndExportCompleted_withTheExportsLocation() {
        scheduler = scheduler(POLL, POLL);
        SnapshotCreated request = Snapshots.created("orders", T0);
        scheduler.request(request, 0);

        time.runUntil(T0.plus(Duration.ofHours(1)));

        assertThat(events.all).containsExactly(started(request, T0), completed(request, T0, T0.plus(Duration.ofMinutes(30))));
        assertThat(ExportPrefixes.forSnapshot("exports", request.getSnapshot())).isEqualTo(PREFIX);
    }

    @Test
    void emitsAFailureWithTheCause_whenTheExportFails() {
        scheduler = scheduler(POLL, POLL);
        SnapshotCreated request = Snapshots.created("orders", T0);
        scheduler.request(request, 0);
        time.runUntil(T0.plus(Duration.ofMinutes(5)));
        String taskId = taskId(request);

        rds.end(taskId, ExportStatus.FAILED, "The IAM role cannot write to the bucket");
        time.runUntil(T0.plus(Duration.ofMinutes(6)));

        assertThat(events.of(PipelineFailure.class)).containsExactly(failure(request, T0.plus(Duration.ofMinutes(5)).plus(POLL),
                "EXPORT_FAILED", "Export task " + taskId + " ended FAILED: The IAM role cannot write to the bucket",
                Map.of("failureCause", "The IAM role cannot write to the bucket")));
        assertThat(store.latest.values()).extracting(ExportTaskState::getStatus).containsExactly(ExportTaskStatus.FAILED);
    }

    @Test
    void emitsAFailure_whenTheExportIsCanceled() {
        SnapshotCreated request = Snapshots.created("orders", T0);
        scheduler.request(request, 0);
        time.runUntil(T0.plus(Duration.ofMinutes(5)));

        rds.end(taskId(request), ExportStatus.CANCELED, null);
        time.runUntil(T0.plus(Duration.ofMinutes(20)));

        assertThat(events.of(PipelineFailure.class)).extracting(PipelineFailure::getReason).containsExactly("EXPORT_CANCELED");
        assertThat(events.of(ExportCompleted.class)).isEmpty();
    }

    @Test
    void reportsAPermanentError_andDoesNotRetryIt() {
        SnapshotCreated request = Snapshots.created("orders", T0);
        rds.refuseNextStart(taskId(request), new RdsExportException.Permanent("IAM_ROLE_PROBLEM", "IamRoleNotFound",
                "IAM role arn:aws:iam::123456789012:role/rds-export not found", null));
        scheduler.request(request, 0);

        time.runUntil(T0.plus(Duration.ofHours(2)));

        assertThat(events.of(PipelineFailure.class)).containsExactly(failure(request, T0, "IAM_ROLE_PROBLEM",
                "StartExportTask for " + request.getSnapshot().getSnapshotArn()
                        + " was refused: IamRoleNotFound: IAM role arn:aws:iam::123456789012:role/rds-export not found",
                Map.of("awsErrorCode", "IamRoleNotFound")));
        assertThat(rds.startCalls()).isEqualTo(1);
        assertThat(events.of(ExportStarted.class)).isEmpty();
    }

    @Test
    void retriesThrottling_withBackoff_thenStarts() {
        SnapshotCreated request = Snapshots.created("orders", T0);
        rds.refuseNextStart(taskId(request), new RdsExportException.Transient("Throttling", "Rate exceeded", null));
        scheduler.request(request, 0);

        time.runUntil(T0.plus(Duration.ofHours(1)));

        assertThat(rds.startCalls()).isEqualTo(2);
        assertThat(runOf(request).startedAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(events.of(PipelineFailure.class)).isEmpty();
        assertThat(events.of(ExportCompleted.class)).hasSize(1);
    }

    @Test
    void backsOffExponentially_whileThrottlingRepeats_upToTheMaximumBackoff() {
        SnapshotCreated request = Snapshots.created("orders", T0);
        IntStream.range(0, 8).forEach(i -> rds.refuseNextStart(taskId(request),
                new RdsExportException.Transient("Throttling", "Rate exceeded", null)));
        scheduler.request(request, 0);

        time.runUntil(T0.plus(Duration.ofHours(1)));

        // Doubling from retry-initial-backoff (5 s), capped at retry-max-backoff (5 min); the ninth call starts it.
        List<Instant> calls = rds.startCallTimes();
        assertThat(IntStream.range(1, calls.size()).mapToObj(i -> Duration.between(calls.get(i - 1), calls.get(i))))
                .containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(40),
                        Duration.ofSeconds(80), Duration.ofSeconds(160), Duration.ofMinutes(5), Duration.ofMinutes(5));
        assertThat(events.of(PipelineFailure.class)).isEmpty();
        assertThat(events.of(ExportCompleted.class)).hasSize(1);
    }

    @Test
    void retriesDescribeExportTasksErrorsAndRefusedCredentials_insteadOfFailingTheExport() {
        SnapshotCreated request = Snapshots.created("orders", T0);
        // What SdkRdsExports answered for AccessDenied before credentials errors were classified as passing.
        rds.failNextFinds(
                new RdsExportException.Permanent("EXPORT_REFUSED", "AccessDenied", "User is not authorized to perform rds:DescribeExportTasks", null),
                new RdsExportException.Transient("ExpiredToken", "credentials refused (ExpiredToken): The security token is expired", null),
                new RdsExportException.Transient("InternalFailure", "Internal failure", null));
        scheduler.request(request, 0);

        time.runUntil(T0.plus(Duration.ofHours(1)));

        assertThat(events.of(PipelineFailure.class)).isEmpty();
        // Tried at once, then 5 s, 10 s and 20 s later (retry-initial-backoff doubling): the fourth try starts it.
        assertThat(runOf(request).startedAt()).isEqualTo(T0.plusSeconds(5 + 10 + 20));
        assertThat(events.of(ExportCompleted.class)).hasSize(1);
    }

    @Test
    void adoptsTheExistingTask_insteadOfExportingTwice() {
        SnapshotCreated request = Snapshots.created("orders", T0);
        rds.start(new StartExportRequest(taskId(request), request.getSnapshot().getSnapshotArn(), "lake-exports",
                PREFIX, SETTINGS.iamRoleArn(), SETTINGS.kmsKeyId(), List.of()));
        scheduler.request(request, 0);

        time.runUntil(T0.plus(Duration.ofHours(1)));

        assertThat(rds.runs()).hasSize(1);
        assertThat(rds.startCalls()).isEqualTo(1);
        assertThat(events.of(ExportStarted.class)).hasSize(1);
        assertThat(events.of(ExportCompleted.class)).hasSize(1);
    }

    @Test
    void adoptsTheExistingTask_whenStartAnswersExportTaskAlreadyExists() {
        scheduler = scheduler(POLL, POLL);
        SnapshotCreated request = Snapshots.created("orders", T0);
        // A replica started the task and crashed before saving that; DescribeExportTasks does not list it yet.
        rds.start(new StartExportRequest(taskId(request), request.getSnapshot().getSnapshotArn(), "lake-exports",
                PREFIX, SETTINGS.iamRoleArn(), SETTINGS.kmsKeyId(), List.of()));
        rds.hideFromNextFind(taskId(request));
        scheduler.request(request, 0);

        time.runUntil(T0.plus(Duration.ofHours(1)));

        assertThat(rds.startCalls()).isEqualTo(2);
        assertThat(rds.runs()).hasSize(1);
        assertThat(events.all).containsExactly(started(request, T0), completed(request, T0, T0.plus(Duration.ofMinutes(30))));
    }

    @Test
    void replayOfAnExportedSnapshot_emitsExportCompletedAgain_withoutANewExport() {
        scheduler = scheduler(POLL, POLL);
        SnapshotCreated original = Snapshots.created("orders", T0);
        scheduler.request(original, 0);
        time.runUntil(T0.plus(Duration.ofHours(1)));
        ExportCompleted first = events.of(ExportCompleted.class).get(0);

        SnapshotCreated replay = Snapshots.replayOf(original, "replay-1", false);
        scheduler.request(replay, 0);
        scheduler.request(original, 0);

        assertThat(rds.runs()).hasSize(1);
        EventMetadataFactory now = ExpectedEvents.metadataAt(T0.plus(Duration.ofHours(1)));
        assertThat(events.of(ExportCompleted.class)).containsExactly(first,
                ExpectedEvents.withMetadata(first, now.following(replay.getMetadata(), "ExportCompleted", first.getExportTaskId())),
                ExpectedEvents.withMetadata(first, now.following(original.getMetadata(), "ExportCompleted", first.getExportTaskId())));
        assertThat(events.of(ExportCompleted.class).get(2).getMetadata().getEventId()).isEqualTo(first.getMetadata().getEventId());
    }

    @Test
    void replayAskingForAnotherExport_startsAttempt2_withItsOwnDeterministicId() {
        SnapshotCreated original = Snapshots.created("orders", T0);
        scheduler.request(original, 0);
        time.runUntil(T0.plus(Duration.ofHours(1)));

        SnapshotCreated forced = Snapshots.replayOf(original, "replay-1", true);
        scheduler.request(forced, 0);
        scheduler.request(forced, 0);
        time.runUntil(T0.plus(Duration.ofHours(2)));

        assertThat(rds.runs()).extracting(run -> run.request().exportTaskId())
                .containsExactly(ExportTaskIds.forSnapshot(original.getSnapshot(), 1), ExportTaskIds.forSnapshot(original.getSnapshot(), 2));
        assertThat(events.of(ExportCompleted.class)).extracting(ExportCompleted::getExportTaskId)
                .containsExactly(ExportTaskIds.forSnapshot(original.getSnapshot(), 1), ExportTaskIds.forSnapshot(original.getSnapshot(), 2));
    }

    @Test
    void resumesWaitingAndRunningExports_afterARestart_exportingEachSnapshotOnce() {
        List<SnapshotCreated> requests = snapshotsOfClusters(8);
        requests.forEach(request -> scheduler.request(request, 0));
        time.runUntil(T0.plus(Duration.ofMinutes(5)));
        assertThat(statuses()).containsEntry(ExportTaskStatus.IN_PROGRESS, 5).containsEntry(ExportTaskStatus.WAITING, 3);

        ExportScheduler restarted = scheduler(POLL);
        restarted.adopt(0, store.onPartition(0));
        time.runUntil(T0.plus(Duration.ofHours(3)));

        assertThat(rds.runs()).hasSize(8);
        assertThat(rds.peakInProgress()).isEqualTo(5);
        assertThat(restarted.snapshotOfStates().get(ExportTaskStatus.COMPLETED)).hasSize(8);
        assertThat(events.of(ExportCompleted.class)).extracting(completed -> completed.getMetadata().getEventId())
                .doesNotHaveDuplicates().hasSize(8);
    }

    @Test
    void pollsLessOften_whileNothingWaits() {
        SnapshotCreated request = Snapshots.created("orders", T0);
        durations.put(request.getSnapshot().getSnapshotArn(), Duration.ofHours(2));
        scheduler.request(request, 0);

        time.runUntil(T0.plus(Duration.ofHours(3)));

        // Without backoff: 2 h / 30 s = 240 polls. With it: 30 s, 1 m, 2 m, 4 m, then every 5 m.
        assertThat(rds.findCalls()).isLessThan(40);
        assertThat(events.of(ExportCompleted.class)).hasSize(1);
    }

    @Test
    void publishesPercentProgress_asAGaugePerCluster() {
        scheduler = scheduler(POLL, POLL);
        SimpleMeterRegistry meters = kit.meters;
        SnapshotCreated request = Snapshots.created("orders", T0);
        durations.put(request.getSnapshot().getSnapshotArn(), Duration.ofMinutes(60));
        scheduler.request(request, 0);

        time.runUntil(T0.plus(Duration.ofMinutes(30)));
        assertThat(meters.get("snaplake.export.progress.percent").tag("cluster", "orders").gauge().value()).isEqualTo(50.0);

        time.runUntil(T0.plus(Duration.ofMinutes(61)));
        assertThat(meters.get("snaplake.export.progress.percent").tag("cluster", "orders").gauge().value()).isEqualTo(100.0);
        assertThat(events.of(ExportCompleted.class)).hasSize(1);
    }

    @Test
    void reportsAFailure_forAClusterWithoutExportSettings() {
        ExportSettingsByCluster onlyOrders = new ExportSettingsByCluster(new ExportSettings(null, "exports", null, null, null),
                Map.of("orders", SETTINGS));
        scheduler = kit.scheduler(SchedulerTestKit.settings(POLL, Duration.ofMinutes(5), SchedulerSettings.DEFAULT_STATE_RETENTION),
                onlyOrders, SchedulingPolicy.defaults());

        scheduler.request(Snapshots.created("billing", T0), 0);
        time.runUntil(T0.plus(Duration.ofMinutes(5)));

        assertThat(events.of(PipelineFailure.class)).extracting(PipelineFailure::getReason).containsExactly("CLUSTER_NOT_CONFIGURED");
        assertThat(rds.startCalls()).isZero();
    }

    private ExportScheduler scheduler(Duration poll) {
        return scheduler(poll, Duration.ofMinutes(5));
    }

    private ExportScheduler scheduler(Duration poll, Duration maxPoll) {
        return kit.scheduler(SchedulerTestKit.settings(poll, maxPoll, SchedulerSettings.DEFAULT_STATE_RETENTION),
                ExportSettingsByCluster.everyCluster(SETTINGS), SchedulingPolicy.defaults());
    }

    private ExportScheduler replica(Recorders.Events replicaEvents) {
        return kit.replica(replicaEvents);
    }

    private List<SnapshotCreated> snapshotsOfClusters(int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> Snapshots.created("cluster-" + i, T0.minus(Duration.ofMinutes(count - i))))
                .toList();
    }

    private Map<ExportTaskStatus, Integer> statuses() {
        Map<ExportTaskStatus, Integer> counts = new HashMap<>();
        scheduler.snapshotOfStates().forEach((status, states) -> counts.put(status, states.size()));
        return counts;
    }

    private SimulatedRds.ExportRun runOf(SnapshotCreated request) {
        return kit.runOf(request);
    }

    private static String taskId(SnapshotCreated request) {
        return ExpectedEvents.taskId(request);
    }

    /** The ExportStarted of the first attempt at {@code request}'s snapshot, requested and started {@code at}. */
    private static ExportStarted started(SnapshotCreated request, Instant at) {
        return ExpectedEvents.started(request, PREFIX, at).build();
    }

    /** Its ExportCompleted, as SimulatedRds describes a complete export, seen at {@code completedAt}. */
    private static ExportCompleted completed(SnapshotCreated request, Instant startedAt, Instant completedAt) {
        return ExpectedEvents.completed(request, PREFIX, completedAt)
                .setTotalExtractedDataInGb(1L)
                .setStartedAt(startedAt)
                .setCompletedAt(completedAt)
                .build();
    }

    private static PipelineFailure failure(SnapshotCreated request, Instant at, String reason, String message,
            Map<String, String> extraDetails) {
        return ExpectedEvents.failure(request, PREFIX, at, reason, message, extraDetails);
    }
}
