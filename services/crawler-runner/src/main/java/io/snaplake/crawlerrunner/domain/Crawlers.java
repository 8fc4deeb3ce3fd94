package io.snaplake.crawlerrunner.domain;

import java.time.Instant;
import java.util.Optional;

/**
 * Glue crawlers, as the crawler method needs them. One Glue-backed implementation; it retries throttling and
 * 5xx like the catalog does, and raises {@code CatalogAccessDeniedException} naming a missing permission.
 */
public interface Crawlers {

    /** Creates the crawler if it does not exist (an existing crawler is left as it is). */
    void ensure(CrawlerDefinition definition);

    CrawlerStatus status(String crawler);

    /** @return false when the crawler is already running (CrawlerRunningException): start again once it is READY */
    boolean start(String crawler);

    /** What a crawler is doing and how its last crawl ended. */
    record CrawlerStatus(String state, Optional<LastCrawl> lastCrawl) {

        public boolean ready() {
            return "READY".equals(state);
        }
    }

    /**
     * @param outcome  SUCCEEDED, FAILED, CANCELLED (or RUNNING while it runs)
     * @param started  when the crawl began: a copy that finished after this is not in it
     */
    record LastCrawl(Outcome outcome, Instant started, String errorMessage, String logGroup, String logStream) {
    }

    enum Outcome { RUNNING, SUCCEEDED, FAILED, CANCELLED }
}
