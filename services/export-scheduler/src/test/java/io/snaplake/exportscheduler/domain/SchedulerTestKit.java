package io.snaplake.exportscheduler.domain;

import static io.snaplake.exportscheduler.Snapshots.DAY;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.snaplake.events.SnapshotCreated;
import io.snaplake.exportscheduler.ExpectedEvents;
import io.snaplake.exportscheduler.config.MicrometerExportMetrics;
import io.snaplake.exportscheduler.simulation.SimulatedRds;
import io.snaplake.exportscheduler.simulation.VirtualTime;
import io.snaplake.pipeline.EventMetadataFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Schedulers in virtual time against {@link SimulatedRds} (exports last 30 minutes unless told otherwise), with
 * in-memory stand-ins for the state topic and the event bindings, and Prometheus-style meters.
 */
final class SchedulerTestKit {

    static final Instant T0 = DAY.plus(Duration.ofHours(3));
    static final Duration POLL = Duration.ofSeconds(30);
    static final ExportSettings SETTINGS = new ExportSettings(ExpectedEvents.BUCKET, "exports", ExpectedEvents.KMS_KEY_ID,
            ExpectedEvents.IAM_ROLE_ARN, List.of());

    final VirtualTime time = new VirtualTime(T0);
    final Map<String, Duration> durations = new HashMap<>();
    final SimulatedRds rds = new SimulatedRds(time, 5,
            request -> durations.getOrDefault(request.sourceArn(), Duration.ofMinutes(30)));
    final Recorders.Events events = new Recorders.Events();
    final Recorders.Store store = new Recorders.Store();
    /** The meters of the scheduler made last (each has its own, as each replica has). */
    SimpleMeterRegistry meters;

    /** The scheduler that events scheduled in virtual time are delivered to (it changes on a restart). */
    ExportScheduler current;

    /** The service's defaults: a limit of 5, polls from 30 s backing off to {@code maxPoll}, retries from 5 s to 5 min. */
    static SchedulerSettings settings(Duration poll, Duration maxPoll, Duration stateRetention) {
        return new SchedulerSettings(5, poll, maxPoll, 2.0, SchedulerSettings.retry(Duration.ofSeconds(5), Duration.ofMinutes(5)),
                stateRetention);
    }

    /** A new scheduler (the previous one, if any, stops as a crash would), loop started. */
    ExportScheduler scheduler(SchedulingPolicy policy, Duration stateRetention) {
        return scheduler(settings(POLL, Duration.ofMinutes(5), stateRetention), ExportSettingsByCluster.everyCluster(SETTINGS), policy);
    }

    /** A new scheduler with the default policy (the previous one, if any, stops as a crash would), loop started. */
    ExportScheduler scheduler(SchedulerSettings settings, ExportSettingsByCluster exports, SchedulingPolicy policy) {
        time.dropPendingLoopRun();
        meters = new SimpleMeterRegistry();
        return started(new ExportScheduler(rds, store, events, new ExportEvents(new EventMetadataFactory("export-scheduler", time)),
                settings, exports, policy, time, time, new MicrometerExportMetrics(meters)));
    }

    /** Another replica on the same account and virtual clock: its own loop timer, state store and events. */
    ExportScheduler replica(Recorders.Events replicaEvents) {
        return started(new ExportScheduler(rds, new Recorders.Store(), replicaEvents,
                new ExportEvents(new EventMetadataFactory("export-scheduler", time)),
                settings(POLL, Duration.ofMinutes(5), SchedulerSettings.DEFAULT_STATE_RETENTION),
                ExportSettingsByCluster.everyCluster(SETTINGS), SchedulingPolicy.defaults(), time, time.newLoopTimer(),
                ExportMetrics.none()));
    }

    private static ExportScheduler started(ExportScheduler scheduler) {
        scheduler.start();
        return scheduler;
    }

    void scheduler_request(SnapshotCreated created) {
        current.request(created, 0);
    }

    /** The snapshot's export takes this long in the simulated RDS. */
    SnapshotCreated lasting(SnapshotCreated created, Duration duration) {
        durations.put(created.getSnapshot().getSnapshotArn(), duration);
        return created;
    }

    SimulatedRds.ExportRun runOf(SnapshotCreated request) {
        return rds.runs().stream().filter(run -> run.request().exportTaskId().equals(taskId(request))).findFirst().orElseThrow();
    }

    static String taskId(SnapshotCreated request) {
        return ExpectedEvents.taskId(request);
    }
}
