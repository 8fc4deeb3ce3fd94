package io.snaplake.exportscheduler;

import static io.snaplake.exportscheduler.Snapshots.DAY;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.snaplake.events.SnapshotCreated;
import io.snaplake.exportscheduler.domain.ExportSettings;
import io.snaplake.exportscheduler.domain.ExportTaskIds;
import io.snaplake.exportscheduler.simulation.SimulatedRds;
import io.snaplake.exportscheduler.simulation.VirtualTime;
import io.snaplake.pipeline.EventMetadataFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A scheduler in virtual time against {@link SimulatedRds}, with a chosen policy and state retention. */
final class SchedulerTestKit {

    static final Instant T0 = DAY.plus(Duration.ofHours(3));
    static final Duration POLL = Duration.ofSeconds(30);
    static final ExportSettings SETTINGS = new ExportSettings("lake-exports", "exports",
            "arn:aws:kms:us-east-1:123456789012:key/export", "arn:aws:iam::123456789012:role/rds-export", List.of());

    final VirtualTime time = new VirtualTime(T0);
    final Map<String, Duration> durations = new HashMap<>();
    final SimulatedRds rds = new SimulatedRds(time, 5,
            request -> durations.getOrDefault(request.sourceArn(), Duration.ofMinutes(30)));
    final Recorders.Events events = new Recorders.Events();
    final Recorders.Store store = new Recorders.Store();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    /** A new scheduler (the previous one, if any, stops as a crash would), loop started. */
    ExportScheduler scheduler(SchedulingPolicy policy, Duration stateRetention) {
        time.dropPendingLoopRun();
        ExportSchedulerProperties properties = new ExportSchedulerProperties(5, POLL, Duration.ofMinutes(5), 2.0,
                Duration.ofSeconds(5), Duration.ofMinutes(5), SETTINGS, Map.of());
        ExportScheduler scheduler = new ExportScheduler(rds, store, events,
                new ExportEvents(new EventMetadataFactory("export-scheduler", time)), properties, policy, stateRetention,
                time, time, meters);
        scheduler.start();
        return scheduler;
    }

    /** The scheduler that events scheduled in virtual time are delivered to (it changes on a restart). */
    ExportScheduler current;

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
        return ExportTaskIds.forSnapshot(request.getSnapshot(), 1);
    }

    static EventMetadataFactory metadataAt(Instant at) {
        return new EventMetadataFactory("export-scheduler", Clock.fixed(at, ZoneOffset.UTC));
    }
}
