package io.snaplake.parquetcopier.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.snaplake.parquetcopier.aws.S3ObjectStore;
import io.snaplake.parquetcopier.domain.CopyMetrics;
import io.snaplake.parquetcopier.domain.ExportBucketAllowList;
import io.snaplake.parquetcopier.domain.ExportCopier;
import io.snaplake.parquetcopier.domain.Retrier;
import io.snaplake.pipeline.AwsSettings;
import io.snaplake.pipeline.DaemonThreads;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** Wires the copy engine: the S3 store with its retries, the metrics, and the copier itself. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({CopierProperties.class, AwsSettings.class})
class CopierConfiguration {

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService copierRetryScheduler() {
        return Executors.newSingleThreadScheduledExecutor(DaemonThreads.numbered("copier-retry"));
    }

    @Bean
    CopyMetrics copyMetrics(MeterRegistry registry) {
        return new MicrometerCopyMetrics(registry, S3ObjectStore::retryReason);
    }

    @Bean
    ExportBucketAllowList exportBucketAllowList(CopierProperties properties) {
        return properties.allowList();
    }

    @Bean(destroyMethod = "close")
    S3ObjectStore copierObjectStore(AwsSettings aws, CopierProperties properties, ScheduledExecutorService copierRetryScheduler,
            CopyMetrics copyMetrics) {
        Retrier retrier = new Retrier(properties.retry(), S3ObjectStore::isRetryable, copierRetryScheduler, copyMetrics);
        return S3ObjectStore.open(aws.region(), aws.endpoint(), properties.concurrency(), retrier,
                properties.multipartThreshold().toBytes(), properties.multipartPartSize().toBytes());
    }

    @Bean
    ExportCopier exportCopier(S3ObjectStore copierObjectStore, CopyMetrics copyMetrics, CopierProperties properties, Clock clock,
            Environment environment) {
        MaxPollIntervalCheck.verify(properties, environment);
        return new ExportCopier(copierObjectStore, properties.layout(), properties.concurrency(), properties.copyTimeout(),
                copyMetrics, clock);
    }
}
