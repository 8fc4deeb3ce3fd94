package io.snaplake.exportscheduler.domain;

import java.util.Map;
import java.util.Optional;

/**
 * Where each cluster's snapshots are exported: the defaults, overridden per cluster.
 *
 * @param defaults export settings of every cluster unless overridden
 * @param clusters per-cluster overrides (unset values fall back on the defaults), by cluster identifier
 */
public record ExportSettingsByCluster(ExportSettings defaults, Map<String, ExportSettings> clusters) {

    private static final ExportSettings NONE = new ExportSettings(null, null, null, null, null);

    public ExportSettingsByCluster {
        defaults = defaults == null ? NONE : defaults;
        clusters = clusters == null ? Map.of() : Map.copyOf(clusters);
    }

    /** Every cluster exported with the same settings. */
    public static ExportSettingsByCluster everyCluster(ExportSettings settings) {
        return new ExportSettingsByCluster(settings, Map.of());
    }

    /** A cluster's export settings; empty when it is not configured and the defaults are incomplete. */
    public Optional<ExportSettings> settingsFor(String clusterId) {
        ExportSettings settings = clusters.getOrDefault(clusterId, NONE).orElse(defaults);
        return settings.missing().isEmpty() ? Optional.of(settings) : Optional.empty();
    }
}
