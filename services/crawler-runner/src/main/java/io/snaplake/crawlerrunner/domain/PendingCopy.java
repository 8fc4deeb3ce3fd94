package io.snaplake.crawlerrunner.domain;

import java.time.Instant;

/**
 * A copied export waiting for a crawl of its cluster that began after it was copied.
 *
 * @param key         its key on the state topic: {@link #copyKey()}, or {@code <copyKey>#<eventId>} for a replay
 *                    recorded while another event of the same export was already pending
 * @param partition   the state (and input) partition it belongs to
 * @param requestedAt when the copy was recorded: only a crawl started after this includes its files
 * @param event       the input event (opaque to the domain: the messaging side publishes from it)
 * @param eventId     the input event's id: the same event delivered twice is one pending copy, not two
 * @param content     what the crawl catalogues, as a digest of the input without its metadata: two events of one
 *                    export with the same content are the same work (a replay), different content is new work
 */
public record PendingCopy(String key, int partition, Instant requestedAt, CatalogRequest request, Object event, String eventId,
        String content) {

    /** Separates a replay's own state key from its export's ({@code <account>:<cluster>/<export task id>}). */
    public static final char REPLAY_SEPARATOR = '#';

    /** The export's state key, {@code <account>:<cluster>/<export task id>}: where its done record lives. */
    public String copyKey() {
        int separator = key.indexOf(REPLAY_SEPARATOR);
        return separator < 0 ? key : key.substring(0, separator);
    }

    public PendingCopy withKey(String newKey) {
        return new PendingCopy(newKey, partition, requestedAt, request, event, eventId, content);
    }

    /** The same export with the same content: answered by the same crawl, with the same CrawlCompleted. */
    public boolean sameWorkAs(PendingCopy other) {
        return copyKey().equals(other.copyKey()) && content.equals(other.content);
    }
}
