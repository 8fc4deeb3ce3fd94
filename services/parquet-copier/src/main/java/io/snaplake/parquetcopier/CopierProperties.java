package io.snaplake.parquetcopier;

import io.snaplake.parquetcopier.copy.ExportBucketAllowList;
import io.snaplake.parquetcopier.copy.LakeLayout;
import io.snaplake.pipeline.retry.RetryPolicy;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The copier's settings, checked at start-up.
 *
 * @param lakeBucket         the lake's bucket (SNAPLAKE_LAKE_BUCKET), required
 * @param lakePrefix         key prefix of the lake inside the bucket (SNAPLAKE_LAKE_PREFIX), may be empty
 * @param partitionTemplate  a table-day's folder below the prefix; placeholders {cluster}, {database},
 *                           {table} and {date}
 * @param concurrency        most copy requests in flight at once
 * @param multipartThreshold objects larger than this are copied with UploadPartCopy (S3's CopyObject limit is 5 GB)
 * @param multipartPartSize  part size of a multipart copy (S3: 5 MB to 5 GB)
 * @param copyTimeout        no copy starts after this much time on one export (the export is then
 *                           reported incomplete and a re-run resumes); must stay below the consumer's
 *                           max.poll.interval.ms
 * @param retry              retries of throttled (503 SlowDown) and failed (5xx, I/O) requests
 * @param allowedExportBuckets the buckets an ExportCompleted may name (SNAPLAKE_COPIER_ALLOWED_EXPORT_BUCKETS,
 *                           default the export bucket SNAPLAKE_EXPORT_BUCKET); any other is refused
 */
@ConfigurationProperties("snaplake.copier")
public record CopierProperties(String lakeBucket, String lakePrefix, String partitionTemplate, int concurrency,
        DataSize multipartThreshold, DataSize multipartPartSize, Duration copyTimeout, Retry retry,
        List<String> allowedExportBuckets) {

    private static final long FIVE_GB = DataSize.ofGigabytes(5).toBytes();
    private static final long FIVE_MB = DataSize.ofMegabytes(5).toBytes();

    public CopierProperties {
        if (lakeBucket == null || lakeBucket.isBlank()) {
            throw new IllegalArgumentException("snaplake.copier.lake-bucket (SNAPLAKE_LAKE_BUCKET) must name the lake's S3 bucket");
        }
        lakePrefix = lakePrefix == null ? "" : lakePrefix;
        partitionTemplate = partitionTemplate == null || partitionTemplate.isBlank() ? LakeLayout.DEFAULT_TEMPLATE : partitionTemplate;
        if (concurrency < 1 || concurrency > 1024) {
            throw new IllegalArgumentException("snaplake.copier.concurrency (SNAPLAKE_COPIER_CONCURRENCY) must be 1..1024, got " + concurrency);
        }
        multipartThreshold = multipartThreshold == null ? DataSize.ofGigabytes(5) : multipartThreshold;
        multipartPartSize = multipartPartSize == null ? DataSize.ofMegabytes(512) : multipartPartSize;
        if (multipartThreshold.toBytes() < 1 || multipartThreshold.toBytes() > FIVE_GB) {
            throw new IllegalArgumentException("snaplake.copier.multipart-threshold must be > 0 and <= 5GB (S3's CopyObject limit), got "
                    + multipartThreshold);
        }
        if (multipartPartSize.toBytes() < FIVE_MB || multipartPartSize.toBytes() > FIVE_GB) {
            throw new IllegalArgumentException("snaplake.copier.multipart-part-size must be 5MB..5GB (S3's part limits), got "
                    + multipartPartSize);
        }
        copyTimeout = copyTimeout == null ? Duration.ofMinutes(20) : copyTimeout;
        if (copyTimeout.isNegative() || copyTimeout.isZero()) {
            throw new IllegalArgumentException("snaplake.copier.copy-timeout must be positive, got " + copyTimeout);
        }
        retry = retry == null ? new Retry(8, Duration.ofMillis(100), Duration.ofSeconds(20)) : retry;
        allowedExportBuckets = allowedExportBuckets == null ? List.of() : List.copyOf(allowedExportBuckets);
        allowList(allowedExportBuckets);
        // Validates the layout (template placeholders, unsafe prefix) now rather than on the first event.
        layout(lakeBucket, lakePrefix, partitionTemplate);
    }

    public ExportBucketAllowList allowList() {
        return allowList(allowedExportBuckets);
    }

    private static ExportBucketAllowList allowList(List<String> buckets) {
        try {
            return new ExportBucketAllowList(buckets);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("snaplake.copier.allowed-export-buckets: " + e.getMessage(), e);
        }
    }

    public LakeLayout layout() {
        return layout(lakeBucket, lakePrefix, partitionTemplate);
    }

    private static LakeLayout layout(String bucket, String prefix, String template) {
        try {
            return new LakeLayout(bucket, prefix, template);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("snaplake.copier lake-prefix / partition-template: " + e.getMessage(), e);
        }
    }

    /** @see RetryPolicy */
    public record Retry(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

        public Retry {
            policy(maxAttempts, initialBackoff, maxBackoff);
        }

        public RetryPolicy policy() {
            return policy(maxAttempts, initialBackoff, maxBackoff);
        }

        private static RetryPolicy policy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
            try {
                return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("snaplake.copier.retry: " + e.getMessage(), e);
            }
        }
    }
}
