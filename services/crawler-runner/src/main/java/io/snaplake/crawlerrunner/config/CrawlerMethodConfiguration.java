package io.snaplake.crawlerrunner.config;

import io.snaplake.crawlerrunner.aws.AwsCalls;
import io.snaplake.crawlerrunner.aws.GlueCatalog;
import io.snaplake.crawlerrunner.aws.GlueCrawledCatalog;
import io.snaplake.crawlerrunner.aws.GlueCrawlers;
import io.snaplake.crawlerrunner.domain.PendingCopy;
import io.snaplake.crawlerrunner.domain.CrawlCoordinator;
import io.snaplake.crawlerrunner.domain.CrawlResultPublisher;
import io.snaplake.crawlerrunner.domain.CrawlerDefinition;
import io.snaplake.crawlerrunner.domain.DirectRegistrar;
import io.snaplake.crawlerrunner.messaging.KafkaCrawlStateStore;
import io.snaplake.pipeline.DaemonThreads;
import io.snaplake.pipeline.Topic;
import io.snaplake.pipeline.messaging.BinderClientConfig;
import io.snaplake.pipeline.messaging.PartitionOwnershipListener;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import software.amazon.awssdk.services.glue.GlueClient;

/**
 * Wires the crawler method: the state topic of pending copies, the coordinator and its own loop thread
 * (never a consumer thread), the rebalance listener that hands pending copies over with their partitions.
 */
@Configuration(proxyBeanMethods = false)
class CrawlerMethodConfiguration {

    /** The state topic's clients use the binder's own Kafka settings (brokers, Avro serde, registry). */
    @Bean(destroyMethod = "close")
    KafkaCrawlStateStore crawlStateStore(Environment environment) {
        Map<String, Object> producer = BinderClientConfig.producer(environment);
        Map<String, Object> consumer = BinderClientConfig.consumer(environment);
        // Unreadable state must stop the restore loudly, not turn into a null (the error-handling wrapper's way).
        Object delegate = consumer.remove("spring.deserializer.value.delegate.class");
        if (delegate != null) {
            consumer.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, delegate);
        }
        return new KafkaCrawlStateStore(Topic.CRAWLER_RUNNER_STATE.topicName(), producer, consumer, Duration.ofSeconds(30));
    }

    @Bean
    CrawlCoordinator crawlCoordinator(GlueClient glueClient, AwsCalls awsCalls, GlueCatalog glueCatalog, KafkaCrawlStateStore crawlStateStore,
            CrawlResultPublisher crawlResultPublisher, DirectRegistrar directRegistrar, CrawlerMethodProperties method, Clock clock) {
        return new CrawlCoordinator(new GlueCrawlers(glueClient, awsCalls), new GlueCrawledCatalog(glueClient, awsCalls, glueCatalog),
                crawlStateStore, crawlResultPublisher,
                copy -> definition(copy, method, directRegistrar), directRegistrar::database, clock, method.coalesceWindow(),
                method.doneRetention(), !method.clusters().isEmpty());
    }

    /** The coordinator's loop: one pass every poll-interval, on a thread of its own. */
    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService crawlLoop(CrawlCoordinator coordinator, CrawlerMethodProperties method) {
        ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("crawl-loop"));
        long interval = method.pollInterval().toMillis();
        loop.scheduleWithFixedDelay(() -> {
            try {
                coordinator.tick();
            } catch (RuntimeException e) {
                // A failed pass must not end the loop (a scheduled task that throws is never run again): the next pass retries.
                LoggerFactory.getLogger(CrawlCoordinator.class).warn("Crawl pass failed; the next pass tries again", e);
            }
        }, interval, interval, TimeUnit.MILLISECONDS);
        return loop;
    }

    /**
     * Pending crawls follow the input's partitions: assigned input partition p, this replica reads the copies still
     * waiting on state partition p and drives them; p revoked, it lets them go.
     */
    @Bean
    PartitionOwnershipListener crawlOwnershipListener(CrawlCoordinator coordinator) {
        return new PartitionOwnershipListener(Topic.PARQUET_COPIED.topicName(), coordinator::assigned, coordinator::released);
    }

    private static CrawlerDefinition definition(PendingCopy copy, CrawlerMethodProperties method, DirectRegistrar registrar) {
        String cluster = copy.request().cluster();
        String location = copy.request().tables().stream().filter(t -> t.copied() && t.location() != null).findFirst()
                .map(t -> t.location().substring(0, t.location().indexOf("/date=") + 1))
                .orElseThrow(() -> new IllegalStateException("export " + copy.request().exportTaskId() + " has no copied table to crawl"));
        return CrawlerDefinition.over(location, method.crawlerName(cluster), method.role(), registrar.database(cluster),
                method.updateBehavior(), method.deleteBehavior(), method.recrawlBehavior());
    }
}
