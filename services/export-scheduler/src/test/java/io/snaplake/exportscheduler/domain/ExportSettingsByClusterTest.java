package io.snaplake.exportscheduler.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExportSettingsByClusterTest {

    private static final ExportSettings COMPLETE = new ExportSettings("bucket", "exports", "arn:kms", "arn:role", List.of());

    @Test
    void clusterSettingsOverrideTheDefaults() {
        ExportSettingsByCluster exports = new ExportSettingsByCluster(COMPLETE,
                Map.of("orders", new ExportSettings("orders-bucket", null, null, null, List.of("orders.public.orders"))));

        assertThat(exports.settingsFor("orders")).contains(
                new ExportSettings("orders-bucket", "exports", "arn:kms", "arn:role", List.of("orders.public.orders")));
        assertThat(exports.settingsFor("billing")).contains(COMPLETE);
    }
}
