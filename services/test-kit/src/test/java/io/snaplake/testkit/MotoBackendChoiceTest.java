package io.snaplake.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snaplake.testkit.MotoServer.Backend;
import org.junit.jupiter.api.Test;

/** Where moto runs: the SNAPLAKE_MOTO choice against whether a Docker engine answers. */
class MotoBackendChoiceTest {

    @Test
    void auto_usesDocker_whenAnEngineAnswers_andTheProcessOtherwise() {
        assertThat(Backend.fromEnvironment(null).resolve(() -> true)).isEqualTo(Backend.DOCKER);
        assertThat(Backend.fromEnvironment("").resolve(() -> false)).isEqualTo(Backend.PROCESS);
        assertThat(Backend.fromEnvironment("auto").resolve(() -> false)).isEqualTo(Backend.PROCESS);
    }

    @Test
    void process_neverAsksDocker() {
        assertThat(Backend.fromEnvironment("process").resolve(() -> {
            throw new AssertionError("Docker must not be probed when the process is forced");
        })).isEqualTo(Backend.PROCESS);
    }

    @Test
    void docker_withoutAnEngine_failsLoudly_ratherThanFallingBack() {
        assertThatThrownBy(() -> Backend.fromEnvironment("Docker").resolve(() -> false))
                .isInstanceOf(LocalInfraException.class)
                .hasMessageContaining("SNAPLAKE_MOTO=docker, but no Docker engine answers");
    }

    @Test
    void anUnknownChoice_isNamed() {
        assertThatThrownBy(() -> Backend.fromEnvironment("podman"))
                .isInstanceOf(LocalInfraException.class)
                .hasMessage("SNAPLAKE_MOTO must be auto, docker or process, got 'podman'");
    }
}
