package io.snaplake.crawlerrunner.domain;


/** Publishes what a crawl did for one copy; returns once the events are on the broker. */
public interface CrawlResultPublisher {

    /**
     * The crawl succeeded: CrawlCompleted (and a PipelineFailure for tables it did not catalogue).
     *
     * @return the CrawlCompleted published, kept to answer replays of the same copy
     */
    Object completed(PendingCopy copy, String crawler, CatalogReport report);

    /**
     * A replay of a copy already done: the recorded CrawlCompleted again, the same in everything but the metadata,
     * which follows the replay's (as direct registration answers a replay).
     */
    void replayed(PendingCopy copy, Object completed);

    /** The crawl FAILED or was CANCELLED: a PipelineFailure with the crawl's error message and log location. */
    void crawlFailed(PendingCopy copy, String crawler, String database, Crawlers.LastCrawl crawl);
}
