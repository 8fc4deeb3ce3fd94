package io.snaplake.exportscheduler.simulation;

import io.snaplake.exportscheduler.domain.ExportStatus;
import io.snaplake.exportscheduler.domain.ExportTask;
import io.snaplake.exportscheduler.domain.RdsExportException;
import io.snaplake.exportscheduler.domain.RdsExports;
import io.snaplake.exportscheduler.domain.StartExportRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * RDS's export API as a model one can reason about, for the benchmark and the unit tests: it enforces the
 * account's limit (StartExportTask answers ExportTaskLimitReachedFault, as AWS does), and an export runs
 * for the duration chosen for it, in the given clock's time, then is COMPLETE; tests can end it otherwise.
 * It records every export's start and end, so that a run can be measured and checked.
 */
public final class SimulatedRds implements RdsExports {

    private final Clock clock;
    private final int limit;
    private final Function<StartExportRequest, Duration> durationOf;
    private final Map<String, SimulatedTask> tasks = new LinkedHashMap<>();
    private final Map<String, Deque<RdsExportException>> refusals = new HashMap<>();
    private final Set<String> hiddenFromNextFind = new HashSet<>();
    private final Deque<RdsExportException> findErrors = new ArrayDeque<>();
    private final List<Instant> startCallTimes = new ArrayList<>();
    private int findCalls;
    private int limitFaults;
    private int peakInProgress;

    public SimulatedRds(Clock clock, int limit, Function<StartExportRequest, Duration> durationOf) {
        this.clock = clock;
        this.limit = limit;
        this.durationOf = durationOf;
    }

    @Override
    public synchronized ExportTask start(StartExportRequest request) {
        startCallTimes.add(clock.instant());
        RdsExportException refusal = Optional.ofNullable(refusals.get(request.exportTaskId())).map(Deque::poll).orElse(null);
        if (refusal != null) {
            throw refusal;
        }
        if (tasks.containsKey(request.exportTaskId())) {
            throw new RdsExportException.AlreadyExists("ExportTaskAlreadyExists",
                    "Cannot start export task because a task with the identifier " + request.exportTaskId() + " already exists.", null);
        }
        if (countInProgress() >= limit) {
            limitFaults++;
            throw new RdsExportException.LimitReached("ExportTaskLimitReachedFault",
                    "You have reached the limit of " + limit + " concurrent export tasks", null);
        }
        SimulatedTask task = new SimulatedTask(request, clock.instant(), durationOf.apply(request));
        tasks.put(request.exportTaskId(), task);
        peakInProgress = Math.max(peakInProgress, countInProgress());
        return task.describe(clock.instant());
    }

    @Override
    public synchronized Optional<ExportTask> find(String exportTaskId) {
        findCalls++;
        RdsExportException error = findErrors.poll();
        if (error != null) {
            throw error;
        }
        if (hiddenFromNextFind.remove(exportTaskId)) {
            return Optional.empty();
        }
        return Optional.ofNullable(tasks.get(exportTaskId)).map(task -> task.describe(clock.instant()));
    }

    @Override
    public synchronized int countInProgress() {
        Instant now = clock.instant();
        return (int) tasks.values().stream().filter(task -> task.describe(now).status().holdsASlot()).count();
    }

    /** An export someone else started (another tool, a human): it holds a slot for {@code duration}. */
    public synchronized void startedElsewhere(String exportTaskId, Duration duration) {
        tasks.put(exportTaskId, new SimulatedTask(
                new StartExportRequest(exportTaskId, "arn:elsewhere", "b", "", "r", "k", List.of()), clock.instant(), duration));
    }

    /**
     * The next StartExportTask for this id is answered with {@code error}; each further call refuses one more
     * StartExportTask, in the order of the calls.
     */
    public synchronized void refuseNextStart(String exportTaskId, RdsExportException error) {
        refusals.computeIfAbsent(exportTaskId, id -> new ArrayDeque<>()).add(error);
    }

    /**
     * The next DescribeExportTasks for this id does not list the task yet, though it exists: RDS's API is
     * eventually consistent, and a task just started (by another replica) can be missing for a while.
     */
    public synchronized void hideFromNextFind(String exportTaskId) {
        hiddenFromNextFind.add(exportTaskId);
    }

    /** The next DescribeExportTasks calls (one per error, in order) answer these errors. */
    public synchronized void failNextFinds(RdsExportException... errors) {
        findErrors.addAll(List.of(errors));
    }

    /** Ends a running export now with the given status and cause (FAILED, CANCELED, COMPLETE). */
    public synchronized void end(String exportTaskId, ExportStatus status, String failureCause) {
        SimulatedTask task = tasks.get(exportTaskId);
        task.endedAs = status;
        task.failureCause = failureCause;
        task.endedAt = clock.instant();
    }

    public synchronized List<ExportRun> runs() {
        Instant now = clock.instant();
        List<ExportRun> runs = new ArrayList<>();
        tasks.values().forEach(task -> runs.add(new ExportRun(task.request, task.startedAt, task.endTime(now))));
        return runs;
    }

    public synchronized int startCalls() {
        return startCallTimes.size();
    }

    /** When each StartExportTask was called, refused ones included. */
    public synchronized List<Instant> startCallTimes() {
        return List.copyOf(startCallTimes);
    }

    public synchronized int findCalls() {
        return findCalls;
    }

    public synchronized int limitFaults() {
        return limitFaults;
    }

    /** The most exports ever in progress at once. */
    public synchronized int peakInProgress() {
        return peakInProgress;
    }

    /** One export as it ran: end is null while it runs. */
    public record ExportRun(StartExportRequest request, Instant startedAt, Instant endedAt) {
    }

    private static final class SimulatedTask {
        final StartExportRequest request;
        final Instant startedAt;
        final Duration duration;
        ExportStatus endedAs;
        String failureCause;
        Instant endedAt;

        SimulatedTask(StartExportRequest request, Instant startedAt, Duration duration) {
            this.request = request;
            this.startedAt = startedAt;
            this.duration = duration;
        }

        Instant endTime(Instant now) {
            if (endedAt != null) {
                return endedAt;
            }
            Instant natural = startedAt.plus(duration);
            return natural.isAfter(now) ? null : natural;
        }

        ExportTask describe(Instant now) {
            Instant end = endTime(now);
            ExportStatus status = end == null ? ExportStatus.IN_PROGRESS : endedAs != null ? endedAs : ExportStatus.COMPLETE;
            int percent = end != null ? (status == ExportStatus.COMPLETE ? 100 : progressAt(endedAt))
                    : progressAt(now);
            return new ExportTask(request.exportTaskId(), request.sourceArn(), status, percent,
                    status == ExportStatus.COMPLETE ? 1L : null, failureCause, null, startedAt, end);
        }

        private int progressAt(Instant time) {
            long total = Math.max(1, duration.toMillis());
            return (int) Math.min(99, 100 * Duration.between(startedAt, time).toMillis() / total);
        }
    }
}
