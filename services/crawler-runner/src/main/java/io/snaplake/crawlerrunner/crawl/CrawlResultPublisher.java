package io.snaplake.crawlerrunner.crawl;

import io.snaplake.crawlerrunner.catalog.CatalogReport;

/** Publishes what a crawl did for one copy; returns once the events are on the broker. */
public interface CrawlResultPublisher {

    /** The crawl succeeded: CrawlCompleted (and a PipelineFailure for tables it did not catalogue). */
    void completed(PendingCopy copy, String crawler, CatalogReport report);

    /** The crawl FAILED or was CANCELLED: a PipelineFailure with the crawl's error message and log location. */
    void crawlFailed(PendingCopy copy, String crawler, String database, Crawlers.LastCrawl crawl);
}
