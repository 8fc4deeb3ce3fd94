package io.snaplake.exportscheduler.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snaplake.exportscheduler.domain.SchedulerSettings;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExportStatePropertiesTest {

    @Test
    void stateRetention_isAtLeastADay() {
        assertThatThrownBy(() -> new ExportStateProperties(Duration.ofSeconds(15), Duration.ofHours(2)))
                .hasMessageContaining("snaplake.export-scheduler.state.retention must be at least 1d");
        assertThat(new ExportStateProperties(Duration.ofSeconds(15), Duration.ofDays(40)).retention()).isEqualTo(Duration.ofDays(40));
        assertThat(List.of(SchedulerSettings.DEFAULT_STATE_RETENTION)).containsExactly(Duration.ofDays(40));
    }
}
