package io.snaplake.parquetcopier;

import io.micrometer.core.instrument.MeterRegistry;
import io.snaplake.parquetcopier.copy.CopyMetrics;
import io.snaplake.parquetcopier.copy.ExportBucketAllowList;
import io.snaplake.parquetcopier.copy.ExportCopier;
import io.snaplake.parquetcopier.copy.Retrier;
import io.snaplake.parquetcopier.s3.S3Clients;
import io.snaplake.parquetcopier.s3.S3ObjectStore;
import io.snaplake.pipeline.AwsSettings;
import io.snaplake.pipeline.EventMetadataFactory;
import io.snaplake.pipeline.Stage;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/** Wires the copy engine: S3 client, retries, metrics, and the copier itself. */
@Configuration(proxyBeanMethods = false)
class CopierConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    EventMetadataFactory eventMetadataFactory(Clock clock) {
        return new EventMetadataFactory(Stage.PARQUET_COPIER.serviceName(), clock);
    }

    @Bean(destroyMethod = "close")
    S3AsyncClient copierS3Client(AwsSettings aws, CopierProperties properties) {
        return S3Clients.async(Region.of(aws.region()), aws.endpoint(), properties.concurrency());
    }

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService copierRetryScheduler() {
        return Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "copier-retry");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Bean
    CopyMetrics copyMetrics(MeterRegistry registry) {
        return new MicrometerCopyMetrics(registry);
    }

    @Bean
    ExportBucketAllowList exportBucketAllowList(CopierProperties properties) {
        return properties.allowList();
    }

    @Bean
    ExportCopier exportCopier(S3AsyncClient copierS3Client, ScheduledExecutorService copierRetryScheduler,
            CopyMetrics copyMetrics, CopierProperties properties, Clock clock, Environment environment) {
        MaxPollIntervalCheck.verify(properties, environment);
        Retrier retrier = new Retrier(properties.retry().policy(), S3ObjectStore::isRetryable, copierRetryScheduler, copyMetrics);
        S3ObjectStore store = new S3ObjectStore(copierS3Client, retrier, properties.multipartThreshold().toBytes(),
                properties.multipartPartSize().toBytes());
        return new ExportCopier(store, properties.layout(), properties.concurrency(), properties.copyTimeout(), copyMetrics, clock);
    }
}
