package io.snaplake.crawlerrunner.domain;

import java.util.Collection;
import java.util.List;

/**
 * Where the crawler method's state is kept durably, per partition, so that a restart or a rebalance loses none:
 * copies waiting for a crawl, and the CrawlCompleted of copies done (for replays).
 */
public interface CrawlStateStore {

    /** Records a pending copy; returns when it is durable. */
    void save(PendingCopy copy);

    /** Records a copy as done (at {@link DoneCopy#key()}, replacing a pending copy kept there); returns when it is durable. */
    void saveDone(DoneCopy done);

    /** Forgets a pending copy once its crawl has been reported, or an expired done record. */
    void remove(String key, int partition);

    /** The pending copies and done records of these partitions. */
    State restore(Collection<Integer> partitions);

    record State(List<PendingCopy> pending, List<DoneCopy> done) {

        public State {
            pending = List.copyOf(pending);
            done = List.copyOf(done);
        }
    }
}
