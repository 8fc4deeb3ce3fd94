package io.snaplake.cli.ops;

import io.snaplake.events.PipelineFailure;
import io.snaplake.events.SnapshotRef;
import io.snaplake.pipeline.Stage;
import io.snaplake.pipeline.Topic;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One snapshot day as the topics tell it: per cluster, each stage's start, end, sizes, failures and
 * replays. Built from events alone, so it shows what happened, whichever services ran it.
 */
public record DayHistory(LocalDate day, List<ClusterDay> clusters) {

    public enum Status { DONE, FAILED, RUNNING, NOT_REACHED }

    /** One cluster's snapshot of the day and its way through the stages. */
    public record ClusterDay(SnapshotRef snapshot, List<StageRun> stages) {

        public String cluster() {
            return snapshot.getClusterId();
        }

        public List<FailureView> failures() {
            return stages.stream().flatMap(stage -> stage.failures().stream()).toList();
        }

        /** The stage it stopped at: the first that failed or is not done; empty when every stage is done. */
        public Optional<StageRun> stuckAt() {
            return stages.stream().filter(stage -> stage.status() != Status.DONE).findFirst();
        }
    }

    /** What one stage did with one cluster's snapshot of the day (the latest attempt decides the status). */
    public record StageRun(Stage stage, Status status, Instant start, Instant end, String size,
            List<FailureView> failures, List<Instant> replays) {

        public Optional<Duration> duration() {
            return start == null || end == null ? Optional.empty() : Optional.of(Duration.between(start, end));
        }
    }

    /** A terminal failure, with what an operator needs to act on it. */
    public record FailureView(Stage stage, Instant at, String reason, String message, Map<String, String> details,
            boolean duringReplay, String replayCommand) {
    }

    public boolean isEmpty() {
        return clusters.isEmpty();
    }

    /** Groups the day's events by snapshot and works out each stage's run. */
    public static DayHistory of(LocalDate day, List<DayEvent> events) {
        Map<String, List<DayEvent>> bySnapshot = new LinkedHashMap<>();
        events.stream()
                .sorted(Comparator.comparing(DayEvent::at))
                .forEach(event -> bySnapshot.computeIfAbsent(event.snapshot().getSnapshotArn(), arn -> new ArrayList<>()).add(event));
        Map<String, ClusterDay> clusters = new TreeMap<>();
        bySnapshot.forEach((arn, journey) -> {
            SnapshotRef snapshot = journey.get(0).snapshot();
            List<StageRun> stages = new ArrayList<>();
            for (Stage stage : Stage.values()) {
                stages.add(runOf(stage, snapshot, journey));
            }
            clusters.put(snapshot.getClusterId() + " " + snapshot.getSnapshotId(), new ClusterDay(snapshot, stages));
        });
        return new DayHistory(day, List.copyOf(clusters.values()));
    }

    private static StageRun runOf(Stage stage, SnapshotRef snapshot, List<DayEvent> journey) {
        Optional<Topic> input = Flow.inputOf(stage);
        Optional<Topic> completion = Flow.completionOf(stage);
        Topic failureTopic = Topic.failuresOf(stage);
        List<DayEvent> inputs = journey.stream().filter(e -> input.isPresent() && e.topic() == input.get()).toList();
        // What the stage wrote itself: a replay the CLI wrote on the next stage's input topic is that stage's input.
        List<DayEvent> outputs = journey.stream().filter(e -> e.topic().producer() == stage && Flow.isEventTopic(e.topic())
                && !ReplayPlan.PRODUCER.equals(e.metadata().getProducer())).toList();
        List<DayEvent> completions = outputs.stream().filter(e -> completion.isPresent() && e.topic() == completion.get()).toList();
        List<DayEvent> failures = journey.stream().filter(e -> e.topic() == failureTopic).toList();

        Instant start = startOf(stage, snapshot, inputs, outputs, failures);
        DayEvent lastCompletion = last(completions);
        DayEvent lastFailure = last(failures);
        DayEvent lastInput = last(inputs);
        Status status;
        if (lastFailure != null && (lastCompletion == null || lastFailure.at().isAfter(lastCompletion.at()))) {
            status = Status.FAILED;
        } else if (lastCompletion != null && (lastInput == null || !lastInput.at().isAfter(lastCompletion.at()))) {
            status = Status.DONE;
        } else if (lastInput != null || !outputs.isEmpty()) {
            status = Status.RUNNING;
        } else {
            status = Status.NOT_REACHED;
        }
        Instant end = status == Status.FAILED ? lastFailure.at() : lastCompletion == null ? null : lastCompletion.at();
        String size = lastCompletion == null ? "" : EventSizes.describe(lastCompletion.event());
        List<FailureView> failureViews = failures.stream().map(event -> {
            PipelineFailure failure = (PipelineFailure) event.event();
            return new FailureView(stage, event.at(), failure.getReason(), failure.getMessage(),
                    new TreeMap<>(failure.getDetails()), event.isReplay(), ReplayCommands.forFailure(snapshot, stage));
        }).toList();
        // A stage's replays: replayed inputs it received (for the first stage, its replayed outputs).
        List<Instant> replays = (input.isPresent() ? inputs : outputs).stream()
                .filter(DayEvent::isReplay).map(DayEvent::at).toList();
        return new StageRun(stage, status, start, end, size, failureViews, replays);
    }

    private static Instant startOf(Stage stage, SnapshotRef snapshot, List<DayEvent> inputs, List<DayEvent> outputs,
            List<DayEvent> failures) {
        if (Flow.inputOf(stage).isEmpty()) {
            // The first stage starts when the snapshot was taken, if the event says so.
            if (snapshot.getSnapshotCreatedAt() != null) {
                return snapshot.getSnapshotCreatedAt();
            }
        } else if (!inputs.isEmpty()) {
            // The latest attempt: the last input that came before the stage's last word.
            return inputs.get(inputs.size() - 1).at();
        }
        DayEvent first = first(outputs, failures);
        return first == null ? null : first.at();
    }

    private static DayEvent first(List<DayEvent> a, List<DayEvent> b) {
        DayEvent first = null;
        for (DayEvent event : a.isEmpty() ? b : a) {
            if (first == null || event.at().isBefore(first.at())) {
                first = event;
            }
        }
        return first;
    }

    private static DayEvent last(List<DayEvent> events) {
        return events.isEmpty() ? null : events.get(events.size() - 1);
    }
}
