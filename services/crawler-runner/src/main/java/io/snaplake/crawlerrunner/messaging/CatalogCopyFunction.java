package io.snaplake.crawlerrunner.messaging;

import io.snaplake.crawlerrunner.catalog.CatalogReport;
import io.snaplake.crawlerrunner.catalog.DirectRegistrar;
import io.snaplake.events.CrawlCompleted;
import io.snaplake.events.ParquetCopied;
import io.snaplake.pipeline.EventMetadataFactory;
import io.snaplake.pipeline.SnapshotKeys;
import io.snaplake.pipeline.metrics.StageProgress;
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
            StreamBridge streamBridge, StageProgress progress) {
        return message -> {
            ParquetCopied input = message.getPayload();
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
}
