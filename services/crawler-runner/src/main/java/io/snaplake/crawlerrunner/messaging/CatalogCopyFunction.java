package io.snaplake.crawlerrunner.messaging;

import io.snaplake.crawlerrunner.config.CrawlerMethodProperties;
import io.snaplake.crawlerrunner.domain.CatalogReport;
import io.snaplake.crawlerrunner.domain.CrawlCoordinator;
import io.snaplake.crawlerrunner.domain.CrawlResultPublisher;
import io.snaplake.crawlerrunner.domain.DirectRegistrar;
import io.snaplake.events.CrawlCompleted;
import io.snaplake.events.ParquetCopied;
import io.snaplake.events.TableCopyStatus;
import io.snaplake.pipeline.EventMetadataFactory;
import io.snaplake.pipeline.SnapshotKeys;
import io.snaplake.pipeline.messaging.FailurePublisher;
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
 * The Kafka side: ParquetCopied in, CrawlCompleted out (catalogCopy-out-0), a PipelineFailure (catalogFailed-out-0)
 * for tables that could not be catalogued. A crawled cluster's copy is handed to the crawl coordinator instead, which
 * publishes its CrawlCompleted when the crawl has ended (or at once, for a replay of an export crawled already).
 */
@Configuration(proxyBeanMethods = false)
class CatalogCopyFunction {

    static final String FAILURE_BINDING = "catalogFailed-out-0";

    @Bean
    CatalogEvents catalogEvents(EventMetadataFactory eventMetadataFactory) {
        return new CatalogEvents(eventMetadataFactory);
    }

    @Bean
    FailurePublisher catalogFailures(StreamBridge streamBridge, StageProgress progress) {
        return new FailurePublisher(streamBridge, FAILURE_BINDING, progress);
    }

    @Bean
    CrawlResultPublisher crawlResultPublisher(StreamBridge streamBridge, CatalogEvents events, FailurePublisher catalogFailures,
            StageProgress progress) {
        return new StreamBridgeCrawlResultPublisher(streamBridge, events, catalogFailures, progress);
    }

    @Bean
    Function<Message<ParquetCopied>, Message<CrawlCompleted>> catalogCopy(DirectRegistrar registrar, CatalogEvents events,
            FailurePublisher catalogFailures, StageProgress progress, CrawlerMethodProperties crawlerMethod, CrawlCoordinator coordinator,
            Clock clock) {
        return message -> {
            ParquetCopied input = message.getPayload();
            if (crawlerMethod.crawls(input.getSnapshot().getClusterId()) && hasTableToCrawl(input)) {
                coordinator.request(KafkaCrawlStateStore.pending(input,
                        message.getHeaders().get(KafkaHeaders.RECEIVED_PARTITION, Integer.class), clock.instant()));
                return null;
            }
            CatalogReport report = registrar.register(CatalogEvents.request(input));
            events.failure(input, report).ifPresent(catalogFailures::publish);
            progress.completed(input.getSnapshot());
            return MessageBuilder.withPayload(events.crawlCompleted(input, report))
                    .setHeader(KafkaHeaders.KEY, SnapshotKeys.recordKey(input.getSnapshot())).build();
        };
    }

    /** A copy with no table copied into the lake has nothing to crawl: it is reported at once, as direct registration does. */
    private static boolean hasTableToCrawl(ParquetCopied input) {
        return input.getTables().stream().anyMatch(table -> table.getStatus() == TableCopyStatus.COPIED && table.getLocation() != null
                && table.getLocation().contains("/date="));
    }
}
