package io.snaplake.crawlerrunner.crawl;

import java.util.Collection;
import java.util.List;

/** Where pending copies are kept durably, per partition, so that a restart or a rebalance loses none. */
public interface CrawlStateStore {

    /** Records a pending copy; returns when it is durable. */
    void save(PendingCopy copy);

    /** Forgets a pending copy once its crawl has been reported. */
    void remove(String key, int partition);

    /** The pending copies of these partitions. */
    List<PendingCopy> restore(Collection<Integer> partitions);
}
