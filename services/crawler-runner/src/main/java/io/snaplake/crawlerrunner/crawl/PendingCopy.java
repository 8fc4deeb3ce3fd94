package io.snaplake.crawlerrunner.crawl;

import io.snaplake.crawlerrunner.catalog.CatalogRequest;
import java.time.Instant;

/**
 * A copied export waiting for a crawl of its cluster that began after it was copied.
 *
 * @param key         its key on the state topic
 * @param partition   the state (and input) partition it belongs to
 * @param requestedAt when the copy was recorded: only a crawl started after this includes its files
 */
public record PendingCopy(String key, int partition, Instant requestedAt, CatalogRequest request, Object event) {
}
