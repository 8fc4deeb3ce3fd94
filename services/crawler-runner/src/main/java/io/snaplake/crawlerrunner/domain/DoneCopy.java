package io.snaplake.crawlerrunner.domain;

import java.time.Instant;

/**
 * A copied export whose crawl succeeded and catalogued every copied table: the CrawlCompleted it got, kept so that a
 * replay of the same export with the same content re-emits it instead of starting another crawl.
 *
 * @param key        the export's state key, {@code <account>:<cluster>/<export task id>} (the pending copy's
 *                   {@link PendingCopy#copyKey()})
 * @param recordedAt when it was recorded: it is forgotten (tombstoned) a retention later
 * @param content    the content digest of the copy it answers ({@link PendingCopy#content()})
 * @param completed  the CrawlCompleted published for that copy (opaque to the domain)
 */
public record DoneCopy(String key, int partition, Instant recordedAt, String content, Object completed) {

    public boolean answers(PendingCopy copy) {
        return key.equals(copy.copyKey()) && content.equals(copy.content());
    }
}
