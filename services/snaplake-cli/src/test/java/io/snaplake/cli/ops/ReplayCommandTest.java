package io.snaplake.cli.ops;

import static io.snaplake.cli.ops.DayEvents.created;
import static io.snaplake.cli.ops.DayEvents.exportCompleted;
import static io.snaplake.cli.ops.DayEvents.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.snaplake.events.EventMetadata;
import io.snaplake.events.ExportCompleted;
import io.snaplake.events.SnapshotCreated;
import io.snaplake.events.SnapshotRef;
import io.snaplake.testkit.LocalInfra;
import io.snaplake.pipeline.EventMetadataFactory;
import io.snaplake.pipeline.FailureEvents;
import io.snaplake.pipeline.Stage;
import io.snaplake.pipeline.Topic;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code snaplake replay} on the real broker and registry. The stage that reacts to the replayed events is
 * played by the test (a consumer that answers each replayed SnapshotCreated as the export-scheduler's
 * messaging adapter does, with {@link EventMetadataFactory#following}): the command's job is to re-publish
 * and to follow, which is what is checked here; the demo replays through the real services.
 */
class ReplayCommandTest {

    static final LocalDate DAY = LocalDate.now(ZoneOffset.UTC).minusDays(2);
    static final SnapshotRef DELTA = snapshot("delta", DAY);
    static final SnapshotRef EPSILON = snapshot("epsilon", DAY);
    static SnapshotCreated deltaCreated;
    static SnapshotCreated epsilonCreated;

    static Instant at(int hour, int minute) {
        return DAY.atTime(hour, minute).toInstant(ZoneOffset.UTC);
    }

    @BeforeAll
    static void publishTheDay() {
        LocalInfra.kafka().createTopics(Arrays.stream(Topic.values()).map(Topic::topicName).toArray(String[]::new));
        deltaCreated = created(DELTA, at(3, 1));
        epsilonCreated = created(EPSILON, at(3, 2));
        try (DayEvents.Publisher publisher = new DayEvents.Publisher(LocalInfra.kafka().bootstrapServers(), LocalInfra.registry().url())) {
            publisher.publish(Topic.SNAPSHOTS_CREATED, deltaCreated);
            publisher.publish(Topic.SNAPSHOTS_CREATED, epsilonCreated);
            publisher.publish(Topic.EXPORTS_COMPLETED, exportCompleted(DELTA, at(3, 30), 3));
            publisher.flush();
        }
    }

    @Test
    void republishesTheDaysSnapshotCreated_asReplaysWithForceExport_andFollowsThemToTheExport() throws Exception {
        Instant before = Instant.now();
        Run run;
        List<SnapshotCreated> replays;
        try (Stand stand = Stand.answering(outcome -> outcome.success())) {
            run = run("--date", DAY.toString(), "--cluster", "delta", "--cluster", "epsilon", "--force-export",
                    "--to", "export-scheduler", "--timeout", "PT60S");
            replays = stand.seen();
        }

        assertThat(run.exit).as(run.out).isZero();
        assertThat(replays).hasSize(2);
        assertThat(replays).allSatisfy(replay -> {
            SnapshotCreated original = replay.getSnapshot().equals(DELTA) ? deltaCreated : epsilonCreated;
            EventMetadata metadata = replay.getMetadata();
            assertThat(metadata.getOccurredAt()).isAfterOrEqualTo(before.minusMillis(1));
            SnapshotCreated expected = SnapshotCreated.newBuilder(original)
                    .setMetadata(EventMetadata.newBuilder(original.getMetadata())
                            .setEventId(metadata.getEventId())
                            .setOccurredAt(metadata.getOccurredAt())
                            .setProducer("snaplake-cli")
                            .setReplayOf(original.getMetadata().getEventId())
                            .build())
                    .setForceExport(true)
                    .build();
            assertThat(replay).isEqualTo(expected);
            assertThat(metadata.getEventId()).isNotEqualTo(original.getMetadata().getEventId());
        });
        assertThat(run.out).contains("Re-publishing 2 event(s) on snaplake.snapshots.created (from export-scheduler, forcing new exports):",
                "delta            export-scheduler   done 3 GB extracted",
                "epsilon          export-scheduler   done 3 GB extracted",
                "REPLAY DONE: 2 cluster(s) of " + DAY + " reached export-scheduler.");
    }

    @Test
    void stopsAtTheFirstFailure_withItsCauseAndTheReplayCommand() throws Exception {
        Run run;
        try (Stand stand = Stand.answering(outcome -> outcome.failure())) {
            // No --to: the run ends at the last stage with a running consumer (none here but the stand-in: the first).
            run = run("--date", DAY.toString(), "--cluster", "epsilon", "--timeout", "PT60S");
            assertThat(stand.seen()).singleElement().satisfies(replay -> assertThat(replay.getForceExport()).isFalse());
        }

        assertThat(run.exit).as(run.out).isEqualTo(1);
        assertThat(run.out).contains("epsilon          export-scheduler   FAILED EXPORT_FAILED: export FAILED [awsErrorCode=KMSKeyNotAccessibleFault]",
                "replay: ./snaplake replay --date " + DAY + " --cluster epsilon --from export-scheduler",
                "Following the run until export-scheduler or a failure", "REPLAY FAILED: 1 of 1 cluster(s) failed; 0 reached export-scheduler.");
    }

    @Test
    void dryRun_showsTheReplayAndPublishesNothing() throws Exception {
        long before = endOffsets(Topic.EXPORTS_COMPLETED);

        Run run = run("--date", DAY.toString(), "--cluster", "delta", "--from", "parquet-copier", "--dry-run");

        assertThat(run.exit).as(run.out).isZero();
        assertThat(run.out).contains("Would re-publish 1 event(s) on snaplake.exports.completed (from parquet-copier):",
                "delta            " + DELTA.getSnapshotId() + "  replay of ", "Dry run: nothing published.");
        assertThat(endOffsets(Topic.EXPORTS_COMPLETED)).isEqualTo(before);
    }

    @Test
    void refusesForceExport_fromAStageThatDoesNotExport() {
        Run run = run("--date", DAY.toString(), "--from", "parquet-copier", "--force-export");

        assertThat(run.exit).isEqualTo(2);
        assertThat(run.err).contains("--force-export asks the export-scheduler for a new export: it only applies with --from export-scheduler, not --from parquet-copier");
    }

    @Test
    void refusesAStageWithNoInputTopic_andAnUnknownStage() {
        assertThat(run("--date", DAY.toString(), "--from", "snapshot-listener").err)
                .contains("snapshot-listener has no input topic to replay from: it is fed from outside Kafka (use ./snaplake request-snapshot)");
        assertThat(run("--date", DAY.toString(), "--from", "copier").err)
                .contains("no stage named 'copier'; the stages are [snapshot-listener, export-scheduler, parquet-copier, crawler-runner, lf-sharer]");
    }

    @Test
    void saysSo_whenAClusterHasNoEventThatDay() {
        Run run = run("--date", DAY.toString(), "--cluster", "zeta");

        assertThat(run.exit).isEqualTo(2);
        assertThat(run.out).contains("Nothing to replay for " + DAY + ": no event on snaplake.snapshots.created", "for cluster(s) zeta.");
    }

    private static long endOffsets(Topic topic) throws Exception {
        try (DayReader reader = new DayReader(endpoints())) {
            return reader.read(List.of(topic), Instant.EPOCH, Instant.now(), s -> true).recordsRead();
        }
    }

    private static KafkaEndpoints endpoints() {
        return KafkaEndpoints.of(LocalInfra.kafka().bootstrapServers(), LocalInfra.registry().url());
    }

    record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        ReplayCommand command = new ReplayCommand();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        command.out = new PrintStream(out, true, StandardCharsets.UTF_8);
        command.endpoints = endpoints();
        CommandLine commandLine = new CommandLine(command);
        commandLine.setErr(new java.io.PrintWriter(err, true, StandardCharsets.UTF_8));
        int exit = commandLine.execute(args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Plays the export-scheduler for replayed SnapshotCreated events: completes or fails each export. */
    static final class Stand implements AutoCloseable {

        interface Outcome {
            void success();

            void failure();
        }

        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<SnapshotCreated> seen = new ArrayList<>();
        private final Thread thread;

        private Stand(java.util.function.Consumer<Outcome> decide) {
            TopicTail tail = new TopicTail(endpoints(), List.of(Topic.SNAPSHOTS_CREATED), Instant.now().minusSeconds(1));
            DayEvents.Publisher publisher = new DayEvents.Publisher(LocalInfra.kafka().bootstrapServers(), LocalInfra.registry().url());
            EventMetadataFactory metadata = new EventMetadataFactory(Stage.EXPORT_SCHEDULER.serviceName(), Clock.systemUTC());
            thread = new Thread(() -> {
                try (tail; publisher) {
                    while (running.get()) {
                        for (DayEvent event : tail.poll(Duration.ofMillis(100))) {
                            SnapshotCreated created = (SnapshotCreated) event.event();
                            if (!created.getSnapshot().getSnapshotDate().equals(DAY) || !event.isReplay()) {
                                continue;
                            }
                            synchronized (seen) {
                                seen.add(created);
                            }
                            decide.accept(new Outcome() {
                                @Override
                                public void success() {
                                    publisher.publish(Topic.EXPORTS_COMPLETED, ExportCompleted.newBuilder(
                                                    exportCompleted(created.getSnapshot(), Instant.now(), 3))
                                            .setMetadata(metadata.following(created.getMetadata(), "ExportCompleted")).build());
                                    publisher.flush();
                                }

                                @Override
                                public void failure() {
                                    publisher.publish(Topic.EXPORT_SCHEDULER_FAILURES, FailureEvents.failure(
                                            metadata.following(created.getMetadata(), "PipelineFailure"), created.getSnapshot(),
                                            Stage.EXPORT_SCHEDULER, "EXPORT_FAILED", "export FAILED", false,
                                            Map.of("awsErrorCode", "KMSKeyNotAccessibleFault")));
                                    publisher.flush();
                                }
                            });
                        }
                    }
                }
            }, "stand-in-export-scheduler");
            thread.start();
        }

        static Stand answering(java.util.function.Consumer<Outcome> decide) {
            return new Stand(decide);
        }

        List<SnapshotCreated> seen() {
            synchronized (seen) {
                return List.copyOf(seen);
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(10_000);
        }
    }
}
