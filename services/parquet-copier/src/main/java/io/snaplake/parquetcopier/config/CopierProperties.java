package io.snaplake.parquetcopier.config;

import io.snaplake.parquetcopier.domain.ExportBucketAllowList;
import io.snaplake.parquetcopier.domain.LakeLayout;
import io.snaplake.pipeline.retry.RetryPolicy;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.util.unit.DataSize;

/**
 * The copier's settings, checked at start-up.
 *
 * @param lakeBucket           the lake's S3 bucket (required)
 * @param lakePrefix           key prefix of the lake inside its bucket (may be empty)
 * @param partitionTemplate    a table-day's folder below the prefix, with placeholders {cluster}, {database}, {table} and {date}
 * @param concurrency          most copy requests in flight at once (1 to 1024)
 * @param multipartThreshold   objects larger than this are copied in parts with UploadPartCopy (S3's CopyObject limit is 5 GB)
 * @param multipartPartSize    part size of a multipart copy (S3: 5 MB to 5 GB)
 * @param copyTimeout          no copy starts after this much time on one export (it is reported incomplete, a re-run resumes)
 * @param retry                retries of throttled (503 SlowDown) and failed (5xx, I/O) S3 requests
 * @param allowedExportBuckets the buckets an ExportCompleted may name; an event naming any other is refused, never copied
 * @param maxPollIntervalMs    the copyExport consumer's max.poll.interval.ms: max-attempts x copy-timeout must fit in it
 */
@ConfigurationProperties("snaplake.copier")
public record CopierProperties(String lakeBucket, String lakePrefix, String partitionTemplate, int concurrency,
        DataSize multipartThreshold, DataSize multipartPartSize, Duration copyTimeout,
        @NestedConfigurationProperty RetryPolicy retry, List<String> allowedExportBuckets, long maxPollIntervalMs) {

    private static final long FIVE_GB = DataSize.ofGigabytes(5).toBytes();
    private static final long FIVE_MB = DataSize.ofMegabytes(5).toBytes();

    public CopierProperties {
        if (lakeBucket == null || lakeBucket.isBlank()) {
            throw new IllegalArgumentException("snaplake.copier.lake-bucket must name the lake's S3 bucket");
        }
        lakePrefix = lakePrefix == null ? "" : lakePrefix;
        partitionTemplate = partitionTemplate == null || partitionTemplate.isBlank() ? LakeLayout.DEFAULT_TEMPLATE : partitionTemplate;
        if (concurrency < 1 || concurrency > 1024) {
            throw new IllegalArgumentException("snaplake.copier.concurrency must be 1..1024, got " + concurrency);
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
        retry = retry == null ? new RetryPolicy(8, Duration.ofMillis(100), Duration.ofSeconds(20)) : retry;
        allowedExportBuckets = allowedExportBuckets == null ? List.of() : List.copyOf(allowedExportBuckets);
        maxPollIntervalMs = maxPollIntervalMs == 0 ? Duration.ofHours(1).toMillis() : maxPollIntervalMs;
        if (maxPollIntervalMs < 0) {
            throw new IllegalArgumentException("snaplake.copier.max-poll-interval-ms must be positive, got " + maxPollIntervalMs);
        }
        // Builds the allow-list and the layout (template placeholders, unsafe prefix) now rather than on the first event.
        allowList(allowedExportBuckets);
        layout(lakeBucket, lakePrefix, partitionTemplate);
    }

    public ExportBucketAllowList allowList() {
        return allowList(allowedExportBuckets);
    }

    public LakeLayout layout() {
        return layout(lakeBucket, lakePrefix, partitionTemplate);
    }

    private static ExportBucketAllowList allowList(List<String> buckets) {
        return named("snaplake.copier.allowed-export-buckets", () -> new ExportBucketAllowList(buckets));
    }

    private static LakeLayout layout(String bucket, String prefix, String template) {
        return named("snaplake.copier lake-prefix / partition-template", () -> new LakeLayout(bucket, prefix, template));
    }

    /** {@code build}'s result; a setting it refuses is reported under the name of the property. */
    private static <T> T named(String property, Supplier<T> build) {
        try {
            return build.get();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(property + ": " + e.getMessage(), e);
        }
    }
}
