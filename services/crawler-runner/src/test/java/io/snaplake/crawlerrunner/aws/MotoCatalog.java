package io.snaplake.crawlerrunner.aws;

import io.snaplake.crawlerrunner.domain.DirectRegistrar;
import io.snaplake.pipeline.retry.RetryPolicy;
import io.snaplake.rdsexportwriter.ParquetFileFactory;
import io.snaplake.rdsexportwriter.RdsColumn;
import io.snaplake.testkit.LocalInfra;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.s3.S3Client;

/** The registrar built as the service builds it (Glue and S3 clients, retries), against moto or a proxy in front of it. */
public final class MotoCatalog {

    static final RetryPolicy FAST_RETRY = new RetryPolicy(4, Duration.ofMillis(10), Duration.ofMillis(100));
    private static final ScheduledExecutorService RETRIES = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "test-catalog-retry");
        thread.setDaemon(true);
        return thread;
    });
    private static final ExecutorService WORKERS = Executors.newFixedThreadPool(16, runnable -> {
        Thread thread = new Thread(runnable, "test-catalog");
        thread.setDaemon(true);
        return thread;
    });

    private MotoCatalog() {
    }

    public static GlueClient glue() {
        return CatalogClients.glue(Region.US_EAST_1, LocalInfra.moto().endpoint(), 16);
    }

    public static S3Client s3() {
        return S3Client.builder().region(Region.US_EAST_1).endpointOverride(LocalInfra.moto().endpoint()).forcePathStyle(true).build();
    }

    public static S3LakeStore lake() {
        return lake(LocalInfra.moto().endpoint(), 64 * 1024);
    }

    public static S3LakeStore lake(URI endpoint, int footerReadSize) {
        return new S3LakeStore(CatalogClients.s3(Region.US_EAST_1, endpoint, 32), FAST_RETRY, RETRIES, footerReadSize);
    }

    public static GlueCatalog catalog() {
        return new GlueCatalog(glue(), new AwsCalls(FAST_RETRY));
    }

    public static DirectRegistrar registrar() {
        return new DirectRegistrar(catalog(), lake(), "{cluster}", WORKERS);
    }

    public static void createBucket(String bucket) {
        try (S3Client s3 = s3()) {
            if (s3.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(bucket))) {
                s3.createBucket(create -> create.bucket(bucket));
            }
        }
    }

    /** Writes {@code files} Parquet files of {@code columns} into the lake folder {@code s3://bucket/prefix}; returns their keys. */
    public static List<String> writeFiles(String bucket, String prefix, List<RdsColumn> columns, int files) {
        createBucket(bucket);
        try (S3Client s3 = s3()) {
            return java.util.stream.IntStream.range(0, files).mapToObj(i -> {
                String key = prefix + "1_part-0000" + i + "-" + i + ".gz.parquet";
                s3.putObject(put -> put.bucket(bucket).key(key), RequestBody.fromBytes(ParquetFileFactory.parquet("t", columns, i * 50L, 50)));
                return key;
            }).toList();
        }
    }
}
