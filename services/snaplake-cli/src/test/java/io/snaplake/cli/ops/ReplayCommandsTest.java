package io.snaplake.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.snaplake.events.SnapshotRef;
import io.snaplake.pipeline.Stage;
import io.snaplake.testkit.ChildProcess;
import io.snaplake.testkit.TestEvents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replay commands notices and the history page print are safe to paste into a shell. */
class ReplayCommandsTest {

    private static final LocalDate DAY = LocalDate.parse("2026-11-20");

    @TempDir
    Path folder;

    @Test
    void printsThePlainCommand_forAnOrdinaryCluster() {
        assertThat(ReplayCommands.forFailure(TestEvents.clusterSnapshot("orders", DAY).build(), Stage.PARQUET_COPIER))
                .isEqualTo("./snaplake replay --date 2026-11-20 --cluster orders --from parquet-copier");
    }

    @Test
    void aPastedCommand_withAHostileClusterId_runsNothingElse_andPassesTheIdAsOneArgument() throws Exception {
        Path marker = folder.resolve("pwned");
        String hostile = "orders; touch " + marker + " ; echo '$(touch " + marker + ")' `touch " + marker + "`";
        SnapshotRef snapshot = TestEvents.clusterSnapshot(hostile, DAY).build();
        // A stand-in for ./snaplake that prints each argument it receives on its own line.
        Path snaplake = folder.resolve("snaplake");
        Files.writeString(snaplake, "#!/bin/sh\nfor arg in \"$@\"; do printf '%s\\n' \"$arg\"; done\n");
        snaplake.toFile().setExecutable(true);

        for (String command : List.of(ReplayCommands.forFailure(snapshot, Stage.CRAWLER_RUNNER),
                ReplayCommands.forDay(DAY, hostile, Stage.LF_SHARER))) {
            ChildProcess.Finished pasted = ChildProcess.builder("pasted replay command", List.of("sh", "-c", command))
                    .directory(folder).run(Duration.ofSeconds(30));

            assertThat(pasted.exitCode()).isZero();
            assertThat(pasted.output().lines().toList()).containsSubsequence("--cluster", hostile);
            assertThat(marker).doesNotExist();
        }
    }

    @Test
    void quotesTheSnapshotArn_ofAFirstStageFailure() {
        SnapshotRef snapshot = TestEvents.clusterSnapshot("orders", DAY).setSnapshotArn("arn:x;rm -rf ~").build();

        assertThat(ReplayCommands.forFailure(snapshot, Stage.SNAPSHOT_LISTENER))
                .isEqualTo("./snaplake request-snapshot --snapshot-arn 'arn:x;rm -rf ~'");
    }
}
