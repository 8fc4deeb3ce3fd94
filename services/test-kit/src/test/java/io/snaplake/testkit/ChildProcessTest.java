package io.snaplake.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ChildProcessTest {

    private static final Pattern READY = Pattern.compile("listening on (\\d+)");

    @Test
    void awaitsTheLineThatSaysItIsReady_andStopsTheProcessOnClose() {
        ChildProcess child = ChildProcess.builder("ready-line", List.of("bash", "-c",
                "echo starting; echo listening on $PORT; exec sleep 60")).environment(Map.of("PORT", "4321")).start();
        try (child) {
            child.awaitReady(Readiness.logLine(READY), Duration.ofSeconds(30));

            assertThat(child.findLogLine(READY)).contains("listening on 4321");
            assertThat(child.isAlive()).isTrue();
        }
        assertThat(child.isAlive()).isFalse();
    }

    @Test
    void reportsAProcessThatEndsBeforeItIsReady_withTheEndOfItsOutput() {
        try (ChildProcess child = ChildProcess.builder("dies", List.of("bash", "-c", "echo cannot bind >&2; exit 3")).start()) {
            assertThatThrownBy(() -> child.awaitReady(Readiness.logLine(READY), Duration.ofSeconds(30)))
                    .isInstanceOf(LocalInfraException.class)
                    .hasMessageContaining("dies exited with code 3 before it was ready")
                    .hasMessageContaining("cannot bind");
        }
    }

    @Test
    void runsACommandToItsEnd_withItsExitCodeAndOutput() {
        ChildProcess.Finished finished = ChildProcess.builder("command", List.of("bash", "-c", "echo out; echo err >&2; exit 2"))
                .run(Duration.ofSeconds(30));

        assertThat(finished.exitCode()).isEqualTo(2);
        assertThat(finished.output()).contains("out", "err");
    }
}
