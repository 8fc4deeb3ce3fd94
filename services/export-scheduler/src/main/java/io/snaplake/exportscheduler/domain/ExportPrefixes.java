package io.snaplake.exportscheduler.domain;

import io.snaplake.events.SnapshotRef;

/**
 * The S3Prefix an export is started with: {@code <base>/<cluster>/<yyyy-MM-dd>}. RDS writes the export
 * under {@code s3://<bucket>/<S3Prefix>/<ExportTaskIdentifier>/}.
 */
public final class ExportPrefixes {

    private ExportPrefixes() {
    }

    /** @param basePrefix the configured prefix, e.g. {@code exports}; blank for none */
    public static String forSnapshot(String basePrefix, SnapshotRef snapshot) {
        String base = basePrefix == null ? "" : basePrefix.replaceAll("^/+|/+$", "");
        String own = snapshot.getClusterId() + "/" + snapshot.getSnapshotDate();
        return base.isEmpty() ? own : base + "/" + own;
    }

    /** Where the export's files land: {@code s3://bucket/prefix/taskId/}. */
    public static String exportLocation(String bucket, String prefix, String exportTaskId) {
        return "s3://" + bucket + "/" + (prefix.isEmpty() ? "" : prefix + "/") + exportTaskId + "/";
    }
}
