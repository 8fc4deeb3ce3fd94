package io.snaplake.crawlerrunner.crawl;

import io.snaplake.crawlerrunner.catalog.CatalogReport;
import io.snaplake.crawlerrunner.crawl.Crawlers.CrawlerStatus;
import io.snaplake.crawlerrunner.crawl.Crawlers.LastCrawl;
import io.snaplake.crawlerrunner.crawl.Crawlers.Outcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The crawler method: a copied export is recorded durably as pending and the consumer moves on; a loop of its
 * own ({@link #tick()}, run every few seconds, never on a consumer thread) drives each cluster's crawler:
 *
 * <ul>
 *   <li>A pending copy is covered only by a crawl that <em>started after</em> it was recorded (a crawl already
 *       running when the copy finished may have listed the folders before its files were there).</li>
 *   <li>When the crawler is READY and its last crawl started after some pending copies, those copies are
 *       reported: SUCCEEDED gives a CrawlCompleted per copy (catalog compared before/after the crawl),
 *       FAILED or CANCELLED a PipelineFailure with the crawl's error message and log location.</li>
 *   <li>Copies not yet covered start a crawl once the newest of them is {@code coalesceWindow} old, so copies
 *       finishing close together share one crawl (one 10 DPU-minute minimum instead of several).
 *       CrawlerRunningException means: start again on a later pass, once the crawler is READY.</li>
 *   <li>Nothing but the pending copies is stored: what a crawler is doing is asked from Glue on every pass,
 *       so a restart or a rebalance (pending copies restored with their partition) picks up where it was.</li>
 * </ul>
 */
public final class CrawlCoordinator {

    private static final Logger log = LoggerFactory.getLogger(CrawlCoordinator.class);

    private final Crawlers crawlers;
    private final CrawledCatalog catalog;
    private final CrawlStateStore store;
    private final CrawlResultPublisher publisher;
    private final Function<PendingCopy, CrawlerDefinition> definitions;
    private final Function<String, String> databases;
    private final Clock clock;
    private final Duration coalesceWindow;
    private final boolean enabled;
    private final Map<Integer, Map<String, PendingCopy>> pending = new HashMap<>();
    private final Set<String> ensured = new HashSet<>();
    private final Set<Integer> unrestored = new HashSet<>();

    /**
     * @param definitions the crawler of a pending copy's cluster
     * @param databases   the Glue database of a cluster
     * @param enabled     false when no cluster uses the crawler method: nothing is restored on assignment
     */
    public CrawlCoordinator(Crawlers crawlers, CrawledCatalog catalog, CrawlStateStore store, CrawlResultPublisher publisher,
            Function<PendingCopy, CrawlerDefinition> definitions, Function<String, String> databases, Clock clock, Duration coalesceWindow, boolean enabled) {
        this.crawlers = crawlers;
        this.catalog = catalog;
        this.store = store;
        this.publisher = publisher;
        this.definitions = definitions;
        this.databases = databases;
        this.clock = clock;
        this.coalesceWindow = coalesceWindow;
        this.enabled = enabled;
    }

    /** Records a copied export as waiting for a crawl; returns once that is durable (the input may then be committed). */
    public void request(PendingCopy copy) {
        store.save(copy);
        synchronized (this) {
            pending.computeIfAbsent(copy.partition(), p -> new LinkedHashMap<>()).put(copy.key(), copy);
        }
    }

    /** These partitions are now this replica's: their pending copies are read back and driven. */
    public void assigned(Collection<Integer> partitions) {
        if (!enabled) {
            return; // no cluster is crawled: no state topic to read (deployments without the crawler method need none)
        }
        synchronized (this) {
            unrestored.addAll(partitions);
        }
        restore();
    }

    /** These partitions went to another replica, which drives their pending copies from now on. */
    public synchronized void released(Collection<Integer> partitions) {
        partitions.forEach(pending::remove);
        unrestored.removeAll(partitions);
    }

    /**
     * Reads the pending copies of assigned partitions not read yet. If the state topic cannot be read now (broker
     * away), the loop tries again on its next pass: a partition is never owned without its copies being driven.
     */
    private void restore() {
        Set<Integer> partitions;
        synchronized (this) {
            partitions = Set.copyOf(unrestored);
        }
        if (partitions.isEmpty()) {
            return;
        }
        List<PendingCopy> restored;
        try {
            restored = store.restore(partitions);
        } catch (RuntimeException e) {
            log.warn("Could not read the copies waiting for a crawl on partitions {} yet; trying again: {}", partitions, e.toString());
            return;
        }
        synchronized (this) {
            // Merged, not replaced: a copy received meanwhile is both in memory and (saved first) in what was read.
            restored.stream().filter(copy -> unrestored.contains(copy.partition()))
                    .forEach(copy -> pending.computeIfAbsent(copy.partition(), p -> new LinkedHashMap<>()).put(copy.key(), copy));
            unrestored.removeAll(partitions);
        }
        if (!restored.isEmpty()) {
            log.info("Restored {} copies waiting for a crawl on partitions {}", restored.size(), partitions);
        }
    }

    public synchronized int pendingCount() {
        return pending.values().stream().mapToInt(Map::size).sum();
    }

    /** One pass over every cluster with pending copies. A failure of one cluster does not hold up the others. */
    public void tick() {
        restore();
        Map<String, List<PendingCopy>> byCluster;
        synchronized (this) {
            byCluster = pending.values().stream().flatMap(copies -> copies.values().stream())
                    .collect(Collectors.groupingBy(copy -> copy.request().cluster(), LinkedHashMap::new, Collectors.toList()));
        }
        byCluster.forEach((cluster, copies) -> {
            try {
                drive(cluster, copies);
            } catch (RuntimeException e) {
                // An outage (Glue throttled or down, the broker away): the copies stay pending and the next pass tries again.
                log.warn("Crawl of cluster {} not advanced this pass ({} copies waiting): {}", cluster, copies.size(), e.toString());
            }
        });
    }

    private void drive(String cluster, List<PendingCopy> copies) {
        CrawlerDefinition definition = definitions.apply(copies.get(0));
        if (ensured.add(definition.name())) {
            try {
                catalog.ensureDatabase(definition.database());
                crawlers.ensure(definition);
            } catch (RuntimeException e) {
                ensured.remove(definition.name());
                throw e;
            }
        }
        CrawlerStatus status = crawlers.status(definition.name());
        if (!status.ready()) {
            return; // RUNNING or STOPPING: ask again on a later pass
        }
        List<PendingCopy> waiting = new ArrayList<>(copies);
        if (status.lastCrawl().isPresent() && status.lastCrawl().get().outcome() != Outcome.RUNNING) {
            LastCrawl last = status.lastCrawl().get();
            List<PendingCopy> covered = copies.stream().filter(copy -> last.started().isAfter(copy.requestedAt())).toList();
            for (PendingCopy copy : covered) {
                report(definition, copy, last);
                waiting.remove(copy);
            }
        }
        if (waiting.isEmpty()) {
            return;
        }
        Instant newest = waiting.stream().map(PendingCopy::requestedAt).max(Comparator.naturalOrder()).orElseThrow();
        if (clock.instant().isBefore(newest.plus(coalesceWindow))) {
            return; // more copies of this cluster may finish in a moment: let them share the crawl
        }
        if (crawlers.start(definition.name())) {
            log.info("Started crawler {} for {} copied export(s) of cluster {}", definition.name(), waiting.size(), cluster);
        }
    }

    private void report(CrawlerDefinition definition, PendingCopy copy, LastCrawl crawl) {
        if (crawl.outcome() == Outcome.SUCCEEDED) {
            CatalogReport report = CrawlReports.report(catalog, databases.apply(copy.request().cluster()), copy.request(), crawl.started());
            publisher.completed(copy, definition.name(), report);
        } else {
            publisher.crawlFailed(copy, definition.name(), definition.database(), crawl);
        }
        store.remove(copy.key(), copy.partition());
        synchronized (this) {
            Map<String, PendingCopy> copies = pending.get(copy.partition());
            if (copies != null) {
                copies.remove(copy.key());
            }
        }
    }
}
