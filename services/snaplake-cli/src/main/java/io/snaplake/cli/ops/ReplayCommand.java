package io.snaplake.cli.ops;

import io.snaplake.events.PipelineFailure;
import io.snaplake.events.SnapshotCreated;
import io.snaplake.pipeline.Stage;
import io.snaplake.pipeline.Topic;
import io.snaplake.serde.AvroSerializer;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code snaplake replay}: re-publishes a day's events on a stage's input topic, marked as replays, and
 * follows the run to its end or its first failure. The CLI is the one writer of the input topics besides
 * their stages: a replay must enter the pipeline exactly where a stage's own event would, so that every
 * stage after it runs as it always does (each one is idempotent, so a replay repeats effects without
 * duplicating them).
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Re-run a snapshot day (optionally some clusters, from a chosen stage) and follow it to its end or first failure.")
public final class ReplayCommand implements Callable<Integer> {

    @Mixin
    DaySelection day = new DaySelection();

    @Option(names = "--from", defaultValue = "export-scheduler",
            description = "The stage to re-run from: its input events are re-published (default ${DEFAULT-VALUE}).")
    String from;

    @Option(names = "--force-export", description = "Ask for a new RDS export even of a snapshot already exported (only --from export-scheduler).")
    boolean forceExport;

    @Option(names = "--dry-run", description = "Show what would be re-published; publish nothing.")
    boolean dryRun;

    @Option(names = "--to", description = "The stage whose completion ends the run (default: the last stage with a running consumer).")
    String to;

    @Option(names = "--timeout", defaultValue = "PT30M", description = "How long to follow the run (ISO-8601, default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Mixin
    KafkaEndpoints endpoints = new KafkaEndpoints();

    Clock clock = Clock.systemUTC();
    PrintStream out = System.out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Stage fromStage;
        Topic input;
        Stage toStage;
        try {
            fromStage = Flow.stageNamed(from);
            input = Flow.inputOf(fromStage).orElseThrow(() -> new IllegalArgumentException(fromStage.serviceName()
                    + " has no input topic to replay from: it is fed from outside Kafka (use ./snaplake request-snapshot)"));
            toStage = to == null ? null : Flow.stageNamed(to);
        } catch (IllegalArgumentException badOption) {
            throw new ParameterException(spec.commandLine(), badOption.getMessage());
        }
        if (forceExport && input.valueType() != SnapshotCreated.class) {
            throw new ParameterException(spec.commandLine(), "--force-export asks the export-scheduler for a new export: it only"
                    + " applies with --from " + Stage.EXPORT_SCHEDULER.serviceName() + ", not --from " + fromStage.serviceName());
        }
        DayWindow window = day.window(Instant.now(clock));
        out.printf("Reading %s from %s to %s for snapshot day %s...%n", input.topicName(), HistoryTable.time(window.from()),
                HistoryTable.time(window.to()), day.date());
        DayReader.Result read = day.read(endpoints, List.of(input), window);
        ReplayPlan plan = ReplayPlan.of(fromStage, read.events(), UUID.randomUUID().toString(), forceExport,
                Instant.now(clock).truncatedTo(ChronoUnit.MILLIS));
        Set<String> found = new HashSet<>();
        plan.items().forEach(item -> found.add(item.original().snapshot().getClusterId()));
        List<String> notFound = day.clusters().stream().filter(cluster -> !found.contains(cluster)).toList();
        if (plan.items().isEmpty() || !notFound.isEmpty()) {
            out.printf("Nothing to replay for %s: no event on %s (read %d records) for %s.%n", day.date(), input.topicName(),
                    read.recordsRead(), notFound.isEmpty() ? "any cluster" : "cluster(s) " + String.join(", ", notFound));
            return 2;
        }
        out.printf("%s %d event(s) on %s (from %s%s):%n", dryRun ? "Would re-publish" : "Re-publishing", plan.items().size(),
                input.topicName(), fromStage.serviceName(), forceExport ? ", forcing new exports" : "");
        for (ReplayPlan.Item item : plan.items()) {
            out.printf("  %-16s %s  replay of %s -> event %s (run %s)%n", item.original().snapshot().getClusterId(),
                    item.original().snapshot().getSnapshotId(), item.replayMetadata().getReplayOf(),
                    item.replayMetadata().getEventId(), item.replayMetadata().getRunId());
        }
        if (dryRun) {
            out.println("Dry run: nothing published.");
            return 0;
        }
        Stage until = toStage != null ? toStage : lastRunningStage()
                .filter(stage -> stage.ordinal() >= fromStage.ordinal()).orElse(fromStage);
        Instant publishedFrom = Instant.now(clock).minusSeconds(1);
        try (TopicTail tail = new TopicTail(endpoints, Flow.journeyTopics(), publishedFrom)) {
            publish(plan);
            out.printf("Published. Following the run until %s or a failure (timeout %s):%n", until.serviceName(), timeout);
            return follow(plan, tail, until);
        }
    }

    private void publish(ReplayPlan plan) throws Exception {
        Properties props = endpoints.clientProperties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "snaplake-cli-replay");
        AvroSerializer values = new AvroSerializer();
        // The replay writes with the schemas the stages registered (it never registers one), looked up as
        // they were registered: from the .avsc, without the generated classes' avro.java.string properties.
        values.configure(endpoints.serdeConfig(Map.of("auto.register.schemas", false,
                "avro.remove.java.properties", true)), false);
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(props, new StringSerializer(), values)) {
            for (ReplayPlan.Item item : plan.items()) {
                producer.send(new ProducerRecord<>(plan.topic().topicName(), item.key(), item.replay())).get();
            }
        }
    }

    /** Prints each replayed event as it crosses the topics; ends at {@code until}'s completion or a failure. */
    private int follow(ReplayPlan plan, TopicTail tail, Stage until) {
        Instant start = Instant.now(clock);
        Instant deadline = start.plus(timeout);
        Map<String, String> clusterOfRun = new LinkedHashMap<>();
        plan.items().forEach(item -> clusterOfRun.put(item.replayMetadata().getRunId(), item.original().snapshot().getClusterId()));
        Set<String> finished = new HashSet<>();
        Set<String> failed = new HashSet<>();
        Topic endTopic = Flow.completionOf(until).orElseThrow();
        List<Topic> stagesAfter = Arrays.stream(Stage.values())
                .filter(stage -> stage.ordinal() >= plan.from().ordinal())
                .flatMap(stage -> Flow.outputsOf(stage).stream())
                .toList();
        while (finished.size() + failed.size() < clusterOfRun.size()) {
            if (!Instant.now(clock).isBefore(deadline)) {
                out.printf("TIMEOUT after %s: %d of %d cluster(s) reached %s; history: ./snaplake history --date %s%n", timeout,
                        finished.size(), clusterOfRun.size(), until.serviceName(), day.date());
                return 1;
            }
            for (DayEvent event : tail.poll(Duration.ofMillis(250))) {
                String runId = event.metadata().getRunId();
                String cluster = clusterOfRun.get(runId);
                if (cluster == null || !event.isReplay() || finished.contains(runId) || failed.contains(runId)) {
                    continue;
                }
                double seconds = Duration.between(start, Instant.now(clock)).toMillis() / 1000.0;
                if (event.event() instanceof PipelineFailure failure) {
                    Stage stage = event.topic().producer();
                    out.printf("  [%6.1fs] %-16s %-18s FAILED %s: %s%s%n", seconds, cluster, stage.serviceName(), failure.getReason(),
                            failure.getMessage(), HistoryTable.details(failure.getDetails()));
                    out.printf("             replay: %s%n", ReplayCommands.forFailure(event.snapshot(), stage));
                    failed.add(runId);
                } else if (stagesAfter.contains(event.topic())) {
                    Stage stage = event.topic().producer();
                    boolean completion = Flow.completionOf(stage).map(t -> t == event.topic()).orElse(false);
                    out.printf("  [%6.1fs] %-16s %-18s %s %s%n", seconds, cluster, stage.serviceName(),
                            completion ? "done" : event.event().getSchema().getName(), EventSizes.describe(event.event()));
                    if (event.topic() == endTopic) {
                        finished.add(runId);
                    }
                }
            }
        }
        if (failed.isEmpty()) {
            out.printf("REPLAY DONE: %d cluster(s) of %s reached %s.%n", finished.size(), day.date(), until.serviceName());
            return 0;
        }
        out.printf("REPLAY FAILED: %d of %d cluster(s) failed; %d reached %s.%n", failed.size(), clusterOfRun.size(),
                finished.size(), until.serviceName());
        return 1;
    }

    /** The last stage in flow order whose consumer group has members now: where a run can end today. */
    private Optional<Stage> lastRunningStage() throws Exception {
        Properties props = endpoints.clientProperties();
        try (Admin admin = Admin.create(props)) {
            List<String> groups = Arrays.stream(Stage.values()).map(Stage::serviceName).toList();
            Map<String, KafkaFuture<ConsumerGroupDescription>> described = admin.describeConsumerGroups(groups).describedGroups();
            Stage last = null;
            for (Stage stage : Stage.values()) {
                try {
                    if (!described.get(stage.serviceName()).get().members().isEmpty()) {
                        last = stage;
                    }
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                        throw e;
                    }
                    // a stage that never ran here: not a place a run can end
                }
            }
            return Optional.ofNullable(last);
        }
    }
}
