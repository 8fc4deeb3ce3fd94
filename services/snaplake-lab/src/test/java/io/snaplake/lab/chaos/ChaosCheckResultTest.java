package io.snaplake.lab.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChaosCheckResultTest {

    @Test
    void printsTheLastLine_asTheIssueStatesIt() {
        ChaosCheck.Result result = new ChaosCheck.Result(30, 30, 0, 0, 14, 14, List.of());

        assertThat(result.lastLine()).isEqualTo("chaos: 30 snapshots, 30 shared, 0 lost, 0 duplicate exports, 14/14 hostile inputs dead-lettered");
        assertThat(result.passed()).isTrue();
    }

    @Test
    void fails_whenAnythingIsLostDoubledOrNotDeadLettered_orAnyProblemWasFound() {
        assertThat(new ChaosCheck.Result(30, 29, 1, 0, 14, 14, List.of()).passed()).isFalse();
        assertThat(new ChaosCheck.Result(30, 30, 0, 1, 14, 14, List.of()).passed()).isFalse();
        assertThat(new ChaosCheck.Result(30, 30, 0, 0, 13, 14, List.of()).passed()).isFalse();
        assertThat(new ChaosCheck.Result(30, 30, 0, 0, 14, 14, List.of("the lake holds 1 file no export has")).passed()).isFalse();
    }
}
