package io.snaplake.crawlerrunner.messaging;

import io.snaplake.crawlerrunner.domain.PendingCopy;
import io.snaplake.crawlerrunner.domain.CatalogReport;
import io.snaplake.crawlerrunner.domain.CrawlResultPublisher;
import io.snaplake.crawlerrunner.domain.Crawlers;
import io.snaplake.events.CrawlCompleted;
import io.snaplake.events.ParquetCopied;
import io.snaplake.pipeline.SnapshotKeys;
import io.snaplake.pipeline.messaging.FailurePublisher;
import io.snaplake.pipeline.metrics.StageProgress;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.support.MessageBuilder;

/** Publishes the crawler method's results on the stage's topics (sync sends: returns once they are on the broker). */
final class StreamBridgeCrawlResultPublisher implements CrawlResultPublisher {

    static final String COMPLETED_BINDING = "crawlCompleted-out-0";

    private final StreamBridge bridge;
    private final CatalogEvents events;
    private final FailurePublisher failures;
    private final StageProgress progress;

    StreamBridgeCrawlResultPublisher(StreamBridge bridge, CatalogEvents events, FailurePublisher failures, StageProgress progress) {
        this.bridge = bridge;
        this.events = events;
        this.failures = failures;
        this.progress = progress;
    }

    @Override
    public Object completed(PendingCopy copy, String crawler, CatalogReport report) {
        ParquetCopied input = (ParquetCopied) copy.event();
        events.failure(input, report).ifPresent(failures::publish);
        return publish(input, events.crawledByCrawler(input, report, crawler));
    }

    @Override
    public void replayed(PendingCopy copy, Object completed) {
        ParquetCopied input = (ParquetCopied) copy.event();
        publish(input, events.again(input, (CrawlCompleted) completed));
    }

    @Override
    public void crawlFailed(PendingCopy copy, String crawler, String database, Crawlers.LastCrawl crawl) {
        failures.publish(events.crawlFailed((ParquetCopied) copy.event(), crawler, database, crawl));
    }

    private CrawlCompleted publish(ParquetCopied input, CrawlCompleted completed) {
        if (!bridge.send(COMPLETED_BINDING, MessageBuilder.withPayload(completed)
                .setHeader(KafkaHeaders.KEY, SnapshotKeys.recordKey(input.getSnapshot())).build())) {
            throw new IllegalStateException("could not publish the CrawlCompleted for export " + input.getExportTaskId());
        }
        progress.completed(input.getSnapshot());
        return completed;
    }
}
