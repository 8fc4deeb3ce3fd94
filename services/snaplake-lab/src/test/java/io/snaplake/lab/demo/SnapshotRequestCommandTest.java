package io.snaplake.lab.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.snaplake.lab.SnaplakeLab;
import io.snaplake.testkit.LocalInfra;
import io.snaplake.pipeline.Stage;
import io.snaplake.pipeline.Topic;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.rds.model.DBClusterSnapshot;

/**
 * {@code snaplake request-snapshot} against a real snapshot-listener: its executable jar as a process (as
 * the demo and production run it), on the real broker, registry and moto. The listener's sweep is off
 * and its queue stays empty, so only the command's requests announce snapshots.
 */
class SnapshotRequestCommandTest {

    private static final String CLUSTER = "ledger";
    private static final Pattern EVENT_ID = Pattern.compile("\"eventId\":\"([^\"]+)\"");

    private static DemoAws aws;
    private static ServiceProcess listener;
    private static DBClusterSnapshot snapshot;

    @BeforeAll
    static void startListener() throws Exception {
        LocalInfra.kafka().createTopics(Arrays.stream(Topic.values()).map(Topic::topicName).toArray(String[]::new));
        aws = new DemoAws(LocalInfra.moto().endpoint());
        String queueUrl = aws.createEventQueue("request-snapshot-" + UUID.randomUUID());
        snapshot = aws.createClusterWithAutomatedSnapshot(CLUSTER);

        Map<String, String> env = new StageEnvironment(LocalInfra.kafka().bootstrapServers(), LocalInfra.registry().url(),
                LocalInfra.moto().endpoint())
                .set(Stage.SNAPSHOT_LISTENER, "SNAPLAKE_LISTENER_QUEUE_URL", queueUrl)
                .set(Stage.SNAPSHOT_LISTENER, "SNAPLAKE_LISTENER_SOURCES_CLUSTERS", CLUSTER)
                .set(Stage.SNAPSHOT_LISTENER, "SNAPLAKE_LISTENER_SWEEP_ENABLED", "false")
                .of(Stage.SNAPSHOT_LISTENER);
        Path logs = Files.createDirectories(Path.of("target", "request-snapshot-test"));
        listener = ServiceProcess.start(Path.of("../..").toAbsolutePath().normalize(), "snapshot-listener", freePort(), env, logs);
        listener.awaitReady(Duration.ofMinutes(2));
    }

    @AfterAll
    static void stopListener() throws Exception {
        if (listener != null) {
            listener.close();
        }
        if (aws != null) {
            aws.close();
        }
    }

    @Test
    void announcesTheSnapshotOnce_thenAnswersAlreadyKnown_withTheSameEventId() {
        Run first = run("--cluster", CLUSTER, "--snapshot-id", snapshot.dbClusterSnapshotIdentifier());
        Run second = run("--snapshot-arn", snapshot.dbClusterSnapshotArn());

        assertThat(first.exitCode).as(first.toString()).isZero();
        assertThat(first.out).contains("\"outcome\":\"EMITTED\"", snapshot.dbClusterSnapshotArn());
        assertThat(second.exitCode).as(second.toString()).isZero();
        assertThat(second.out).contains("\"outcome\":\"ALREADY_KNOWN\"");
        assertThat(eventId(second.out)).isEqualTo(eventId(first.out));
    }

    @Test
    void anUnknownSnapshot_isRefusedWithTheListenersReason_andExitCode1() {
        Run run = run("--cluster", CLUSTER, "--snapshot-id", "rds:" + CLUSTER + "-2020-01-01-00-00");

        assertThat(run.exitCode).isEqualTo(1);
        assertThat(run.err).contains("RDS has no snapshot");
        assertThat(run.out).isEmpty();
    }

    @Test
    void anUnreachableListener_isNamed() throws Exception {
        Run run = runAgainst("http://127.0.0.1:" + freePort(), "--cluster", CLUSTER, "--snapshot-id",
                snapshot.dbClusterSnapshotIdentifier());

        assertThat(run.exitCode).isEqualTo(1);
        assertThat(run.err).contains("Could not reach the snapshot-listener at http://127.0.0.1:");
    }

    private static Run run(String... target) {
        return runAgainst("http://127.0.0.1:" + listener.port(), target);
    }

    private static Run runAgainst(String listenerUrl, String... target) {
        String[] args = new String[target.length + 3];
        args[0] = "request-snapshot";
        args[1] = "--listener-url";
        args[2] = listenerUrl;
        System.arraycopy(target, 0, args, 3, target.length);
        // The command writes to System.out/err, as a CLI does: capture them for the duration of the run.
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
            int exitCode = SnaplakeLab.commandLine().execute(args);
            return new Run(exitCode, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private static String eventId(String answer) {
        Matcher id = EVENT_ID.matcher(answer);
        assertThat(id.find()).as("an eventId in " + answer).isTrue();
        return id.group(1);
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private record Run(int exitCode, String out, String err) {
    }
}
