package io.snaplake.exportscheduler.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snaplake.exportscheduler.domain.ExportSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExportSchedulerPropertiesTest {

    private static final ExportSettings COMPLETE = new ExportSettings("bucket", "exports", "arn:kms", "arn:role", List.of());
    private static final ExportSettings NONE = new ExportSettings(null, null, null, null, null);

    @Test
    void refusesToStart_withoutBucketRoleAndKey_namingTheEnvironmentVariables() {
        assertThatThrownBy(() -> properties(NONE, Map.of()))
                .hasMessageContaining("defaults.bucket, defaults.kms-key-id, defaults.iam-role-arn must be set")
                .hasMessageContaining("SNAPLAKE_EXPORTSCHEDULER_DEFAULTS_BUCKET");
    }

    @Test
    void refusesAClusterWhoseSettingsAreIncomplete() {
        assertThatThrownBy(() -> properties(new ExportSettings("bucket", null, null, null, null),
                Map.of("orders", new ExportSettings(null, null, "arn:kms", null, null))))
                .hasMessageContaining("clusters.orders has no iam-role-arn");
    }

    @Test
    void refusesALimitBelowOne() {
        assertThatThrownBy(() -> new ExportSchedulerProperties(0, Duration.ofSeconds(30), Duration.ofMinutes(5), 2.0,
                Duration.ofSeconds(5), Duration.ofMinutes(5), COMPLETE, Map.of()))
                .hasMessageContaining("max-concurrent-exports must be at least 1");
    }

    private static ExportSchedulerProperties properties(ExportSettings defaults, Map<String, ExportSettings> clusters) {
        return new ExportSchedulerProperties(5, Duration.ofSeconds(30), Duration.ofMinutes(5), 2.0,
                Duration.ofSeconds(5), Duration.ofMinutes(5), defaults, clusters);
    }
}
