package io.snaplake.crawlerrunner.messaging;

import io.snaplake.crawlerrunner.crawl.PendingCopy;
import io.snaplake.crawlerrunner.domain.CatalogReport;
import io.snaplake.crawlerrunner.domain.CrawlResultPublisher;
import io.snaplake.crawlerrunner.domain.Crawlers;
import io.snaplake.events.CrawlCompleted;
import io.snaplake.events.ParquetCopied;
import io.snaplake.pipeline.SnapshotKeys;
import io.snaplake.pipeline.metrics.StageProgress;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.support.MessageBuilder;

/** Publishes the crawler method's results on the stage's topics (sync sends: returns once they are on the broker). */
public final class StreamBridgeCrawlResultPublisher implements CrawlResultPublisher {

    static final String COMPLETED_BINDING = "crawlCompleted-out-0";

    private final StreamBridge bridge;
    private final CatalogEvents events;
    private final StageProgress progress;

    public StreamBridgeCrawlResultPublisher(StreamBridge bridge, CatalogEvents events, StageProgress progress) {
        this.bridge = bridge;
        this.events = events;
        this.progress = progress;
    }

    @Override
    public Object completed(PendingCopy copy, String crawler, CatalogReport report) {
        ParquetCopied input = (ParquetCopied) copy.event();
        events.failure(input, report).ifPresent(failure -> {
            send(CatalogCopyFunction.FAILURE_BINDING, input, failure);
            progress.failed(failure);
        });
        CrawlCompleted completed = events.crawledByCrawler(input, report, crawler);
        send(COMPLETED_BINDING, input, completed);
        progress.completed(input.getSnapshot());
        return completed;
    }

    @Override
    public void replayed(PendingCopy copy, Object completed) {
        ParquetCopied input = (ParquetCopied) copy.event();
        send(COMPLETED_BINDING, input, events.again(input, (CrawlCompleted) completed));
        progress.completed(input.getSnapshot());
    }

    @Override
    public void crawlFailed(PendingCopy copy, String crawler, String database, Crawlers.LastCrawl crawl) {
        ParquetCopied input = (ParquetCopied) copy.event();
        var failure = events.crawlFailed(input, crawler, database, crawl);
        send(CatalogCopyFunction.FAILURE_BINDING, input, failure);
        progress.failed(failure);
    }

    private void send(String binding, ParquetCopied input, Object event) {
        if (!bridge.send(binding, MessageBuilder.withPayload(event).setHeader(KafkaHeaders.KEY, SnapshotKeys.recordKey(input.getSnapshot()))
                .build())) {
            throw new IllegalStateException("could not publish " + event.getClass().getSimpleName() + " for export " + input.getExportTaskId());
        }
    }
}
