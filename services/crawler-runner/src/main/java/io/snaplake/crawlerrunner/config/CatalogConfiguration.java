package io.snaplake.crawlerrunner.config;

import io.snaplake.crawlerrunner.aws.AwsCalls;
import io.snaplake.crawlerrunner.aws.CatalogClients;
import io.snaplake.crawlerrunner.aws.GlueCatalog;
import io.snaplake.crawlerrunner.aws.S3LakeStore;
import io.snaplake.crawlerrunner.domain.DirectRegistrar;
import io.snaplake.pipeline.AwsSettings;
import io.snaplake.pipeline.DaemonThreads;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/** Wires direct registration: Glue and S3 clients, retries, the workers that register tables in parallel. */
@Configuration(proxyBeanMethods = false)
class CatalogConfiguration {

    @Bean(destroyMethod = "close")
    GlueClient glueClient(AwsSettings aws, CrawlerRunnerProperties properties) {
        return CatalogClients.glue(Region.of(aws.region()), aws.endpoint(), properties.concurrency());
    }

    @Bean(destroyMethod = "close")
    S3AsyncClient lakeS3Client(AwsSettings aws, CrawlerRunnerProperties properties) {
        return CatalogClients.s3(Region.of(aws.region()), aws.endpoint(), properties.concurrency() * 4);
    }

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService catalogRetryScheduler() {
        return Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("catalog-retry"));
    }

    @Bean(destroyMethod = "shutdownNow")
    ExecutorService catalogWorkers(CrawlerRunnerProperties properties) {
        return Executors.newFixedThreadPool(properties.concurrency(), DaemonThreads.numbered("catalog"));
    }

    /** Glue requests, retried by snaplake.crawler.retry (S3LakeStore retries its requests by the same policy). */
    @Bean
    AwsCalls awsCalls(CrawlerRunnerProperties properties) {
        return new AwsCalls(properties.retry());
    }

    @Bean
    GlueCatalog glueCatalog(GlueClient glueClient, AwsCalls awsCalls) {
        return new GlueCatalog(glueClient, awsCalls);
    }

    @Bean
    DirectRegistrar directRegistrar(GlueCatalog glueCatalog, S3AsyncClient lakeS3Client, ScheduledExecutorService catalogRetryScheduler,
            ExecutorService catalogWorkers, CrawlerRunnerProperties properties) {
        S3LakeStore lake = new S3LakeStore(lakeS3Client, properties.retry(), catalogRetryScheduler, (int) properties.footerReadSize().toBytes());
        return new DirectRegistrar(glueCatalog, lake, properties.databaseTemplate(), catalogWorkers);
    }
}
