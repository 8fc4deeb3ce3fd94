package io.snaplake.parquetcopier.domain;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The buckets exports may be read from. An ExportCompleted is an instruction to copy a bucket's files
 * into the lake, so it is only followed for the buckets the export-scheduler writes to: a hostile or
 * mistaken producer on the topic cannot have other data copied into the lake.
 */
public final class ExportBucketAllowList {

    private final Set<String> buckets;

    public ExportBucketAllowList(List<String> buckets) {
        this.buckets = new TreeSet<>(buckets.stream().map(String::trim).filter(bucket -> !bucket.isEmpty()).toList());
        if (this.buckets.isEmpty()) {
            throw new IllegalArgumentException("the export bucket allow-list is empty: name the bucket(s) the exports are "
                    + "written to (snaplake.copier.allowed-export-buckets)");
        }
    }

    /** @throws RefusedExportException if the export's bucket is not on the list */
    public void check(ExportLocation export) {
        if (!buckets.contains(export.bucket())) {
            throw new RefusedExportException("refused export " + export.exportTaskId() + ": its bucket '" + export.bucket()
                    + "' is not one the copier may read from " + buckets
                    + " (snaplake.copier.allowed-export-buckets); nothing was copied");
        }
    }
}
