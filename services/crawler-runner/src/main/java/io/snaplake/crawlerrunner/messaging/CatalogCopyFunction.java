package io.snaplake.crawlerrunner.messaging;

import io.snaplake.crawlerrunner.config.CrawlerMethodProperties;
import io.snaplake.crawlerrunner.domain.CatalogReport;
import io.snaplake.crawlerrunner.domain.CrawlCoordinator;
import io.snaplake.crawlerrunner.domain.DirectRegistrar;
import io.snaplake.events.CrawlCompleted;
import io.snaplake.events.ParquetCopied;
import io.snaplake.events.TableCopyStatus;
import io.snaplake.pipeline.EventMetadataFactory;
import io.snaplake.pipeline.SnapshotKeys;
import io.snaplake.pipeline.metrics.StageProgress;
import java.time.Clock;
import java.util.function.Function;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

/**
 * The Kafka side: ParquetCopied in, CrawlCompleted out (catalogCopy-out-0), and a PipelineFailure
 * (catalogFailed-out-0) when a table could not be catalogued. Only maps events to and from the domain.
 * A cluster catalogued by a crawler (snaplake.crawler.crawler-method.clusters) is recorded as pending and
 * produces nothing here: the crawl coordinator publishes its CrawlCompleted when the crawl has ended (or at once,
 * for a replay of an export it has crawled already).
 */
@Configuration(proxyBeanMethods = false)
class CatalogCopyFunction {

    static final String FAILURE_BINDING = "catalogFailed-out-0";

    @Bean
    CatalogEvents catalogEvents(EventMetadataFactory eventMetadataFactory) {
        return new CatalogEvents(eventMetadataFactory);
    }

    @Bean
    Function<Message<ParquetCopied>, Message<CrawlCompleted>> catalogCopy(DirectRegistrar registrar, CatalogEvents events,
            StreamBridge streamBridge, StageProgress progress, CrawlerMethodProperties crawlerMethod, CrawlCoordinator coordinator,
            Clock clock) {
        return message -> {
            ParquetCopied input = message.getPayload();
            if (crawlerMethod.crawls(input.getSnapshot().getClusterId()) && hasTableToCrawl(input)) {
                // Recorded durably and handed to the coordinator's loop; its CrawlCompleted follows the crawl. A replay of
                // an export already crawled with the same content gets the recorded CrawlCompleted at once instead.
                coordinator.request(KafkaCrawlStateStore.pending(input,
                        message.getHeaders().get(KafkaHeaders.RECEIVED_PARTITION, Integer.class), clock.instant()));
                return null;
            }
            CatalogReport report = registrar.register(CatalogEvents.request(input));
            String key = SnapshotKeys.recordKey(input.getSnapshot());
            events.failure(input, report).ifPresent(failure -> {
                if (!streamBridge.send(FAILURE_BINDING, MessageBuilder.withPayload(failure).setHeader(KafkaHeaders.KEY, key).build())) {
                    throw new IllegalStateException("could not publish the PipelineFailure for export " + input.getExportTaskId());
                }
                progress.failed(failure);
            });
            progress.completed(input.getSnapshot());
            return MessageBuilder.withPayload(events.crawlCompleted(input, report)).setHeader(KafkaHeaders.KEY, key).build();
        };
    }

    /** A copy with no table copied into the lake has nothing to crawl: it is reported at once, as direct registration does. */
    private static boolean hasTableToCrawl(ParquetCopied input) {
        return input.getTables().stream().anyMatch(table -> table.getStatus() == TableCopyStatus.COPIED && table.getLocation() != null
                && table.getLocation().contains("/date="));
    }
}
