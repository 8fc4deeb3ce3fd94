package io.snaplake.parquetcopier.domain;

import io.snaplake.pipeline.retry.RetryPolicy;
import io.snaplake.testkit.LocalInfra;
import io.snaplake.parquetcopier.aws.S3ObjectStore;
import io.snaplake.pipeline.DaemonThreads;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** Builds the copier as the service does (S3ObjectStore with its Retrier), against moto or a proxy in front of it; and a plain S3 client on moto. */
public final class MotoCopier {

    private static final ScheduledExecutorService RETRIES =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.numbered("test-copier-retry"));

    private URI endpoint = LocalInfra.moto().endpoint();
    private String lakeBucket;
    private int concurrency = 16;
    private long multipartThreshold = 5L << 30;
    private long partSize = 512L << 20;
    private RetryPolicy retry = new RetryPolicy(4, Duration.ofMillis(10), Duration.ofMillis(100));
    private CopyMetrics metrics = CopyMetrics.NONE;
    private Duration copyTimeout = Duration.ofMinutes(5);
    private UnaryOperator<ObjectStore> storeWrapper = UnaryOperator.identity();

    public static MotoCopier lake(String bucket) {
        MotoCopier copier = new MotoCopier();
        copier.lakeBucket = bucket;
        return copier;
    }

    public static S3Client s3() {
        return S3Client.builder().region(Region.US_EAST_1).endpointOverride(LocalInfra.moto().endpoint())
                .forcePathStyle(true).build();
    }

    public MotoCopier through(URI proxyEndpoint) {
        this.endpoint = proxyEndpoint;
        return this;
    }

    public MotoCopier concurrency(int value) {
        this.concurrency = value;
        return this;
    }

    public MotoCopier multipart(long threshold, long part) {
        this.multipartThreshold = threshold;
        this.partSize = part;
        return this;
    }

    public MotoCopier retry(RetryPolicy policy) {
        this.retry = policy;
        return this;
    }

    public MotoCopier copyTimeout(Duration value) {
        this.copyTimeout = value;
        return this;
    }

    public MotoCopier metrics(CopyMetrics value) {
        this.metrics = value;
        return this;
    }

    /** Wraps the real store, e.g. to make it die mid-copy. */
    public MotoCopier wrapStore(UnaryOperator<ObjectStore> wrapper) {
        this.storeWrapper = wrapper;
        return this;
    }

    public ExportCopier build() {
        Retrier retrier = new Retrier(retry, S3ObjectStore::isRetryable, RETRIES, metrics);
        ObjectStore store = storeWrapper.apply(S3ObjectStore.open(Region.US_EAST_1.id(), endpoint, concurrency, retrier,
                multipartThreshold, partSize));
        try (S3Client s3 = s3()) {
            if (s3.listBuckets().buckets().stream().noneMatch(bucket -> bucket.name().equals(lakeBucket))) {
                s3.createBucket(create -> create.bucket(lakeBucket));
            }
        }
        return new ExportCopier(store, LakeLayout.of(lakeBucket, "raw"), concurrency, copyTimeout, metrics,
                Clock.systemUTC());
    }
}
