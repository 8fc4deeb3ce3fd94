package io.snaplake.crawlerrunner.domain;

import io.snaplake.crawlerrunner.crawl.CrawlStateStore;
import io.snaplake.crawlerrunner.crawl.DoneCopy;
import io.snaplake.crawlerrunner.crawl.PendingCopy;
import io.snaplake.crawlerrunner.domain.Crawlers.CrawlerStatus;
import io.snaplake.crawlerrunner.domain.Crawlers.LastCrawl;
import io.snaplake.crawlerrunner.domain.Crawlers.Outcome;
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
import java.util.Optional;
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
 *   <li>A copy whose crawl succeeded and catalogued every copied table is recorded as done, with the CrawlCompleted
 *       it got: a replay of the same export with the same content re-emits that CrawlCompleted and starts no crawl;
 *       a replay arriving while its export is still pending is answered with it when that crawl ends (one crawl);
 *       a replay with other content (e.g. re-copied with more tables) is new work. Done records are forgotten
 *       {@code doneRetention} after they were recorded; a replay after that crawls again.</li>
 *   <li>Nothing but pending copies and done records is stored: what a crawler is doing is asked from Glue on every
 *       pass, so a restart or a rebalance (state restored with its partition) picks up where it was.</li>
 * </ul>
 *
 * <p>At least once: a crash between publishing a CrawlCompleted and recording the copy as done leaves the copy
 * pending; after the restart it is reported again from the same crawl (the same CrawlCompleted, published twice),
 * or, if the crawler has crawled again meanwhile, from that later crawl.
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
    private final Duration doneRetention;
    private final boolean enabled;
    private final Map<Integer, Map<String, PendingCopy>> pending = new HashMap<>();
    private final Map<Integer, Map<String, DoneCopy>> done = new HashMap<>();
    private final Set<String> ensured = new HashSet<>();
    private final Set<Integer> unrestored = new HashSet<>();
    /** Held while a state read from the topic is merged, so that the consumer and the loop never restore at once. */
    private final Object restoring = new Object();
    /**
     * Held while a copy is answered or recorded (consumer thread) and while a crawl is reported or a done record
     * expires (loop thread): deciding "replay of a done copy, twin of a pending one, or new work" and acting on it
     * is one step, never interleaved with a report of the same export.
     */
    private final Object work = new Object();

    /**
     * @param definitions the crawler of a pending copy's cluster
     * @param databases   the Glue database of a cluster
     * @param doneRetention how long a done copy's CrawlCompleted is kept to answer replays
     * @param enabled     false when no cluster uses the crawler method: nothing is restored on assignment
     */
    public CrawlCoordinator(Crawlers crawlers, CrawledCatalog catalog, CrawlStateStore store, CrawlResultPublisher publisher,
            Function<PendingCopy, CrawlerDefinition> definitions, Function<String, String> databases, Clock clock, Duration coalesceWindow,
            Duration doneRetention, boolean enabled) {
        this.crawlers = crawlers;
        this.catalog = catalog;
        this.store = store;
        this.publisher = publisher;
        this.definitions = definitions;
        this.databases = databases;
        this.clock = clock;
        this.coalesceWindow = coalesceWindow;
        this.doneRetention = doneRetention;
        this.enabled = enabled;
    }

    /**
     * Records a copied export as waiting for a crawl; returns once that is durable (the input may then be committed).
     * A replay of an export already done with the same content is answered at once with its recorded CrawlCompleted;
     * a replay of an export still pending with the same content is recorded beside it, to be answered by its crawl.
     *
     * @throws CrawlStateUnavailableException the partition's state could not be read yet: handle the input again later
     */
    public void request(PendingCopy copy) {
        restoreBefore(copy.partition());
        synchronized (work) {
            Optional<DoneCopy> answer;
            synchronized (this) {
                answer = doneOf(copy.partition()).values().stream().filter(done -> done.answers(copy)).findFirst();
            }
            if (answer.isPresent()) {
                publisher.replayed(copy, answer.get().completed());
                log.info("Export {} was crawled already (recorded {}): its CrawlCompleted re-emitted, no crawl started",
                        copy.copyKey(), answer.get().recordedAt());
                return;
            }
            PendingCopy keyed;
            synchronized (this) {
                keyed = copy.withKey(stateKey(copy));
            }
            store.save(keyed);
            synchronized (this) {
                pending.computeIfAbsent(keyed.partition(), p -> new LinkedHashMap<>()).put(keyed.key(), keyed);
                if (keyed.key().equals(keyed.copyKey())) {
                    doneOf(keyed.partition()).remove(keyed.copyKey()); // other content: new work, which replaced the done record
                }
            }
        }
    }

    /**
     * The state key of a copy: the key it already has if the same event is pending (delivered again), else the
     * export's key if free, else one of its own beside the export's (a replay while another event is pending).
     */
    private String stateKey(PendingCopy copy) {
        Map<String, PendingCopy> copies = pending.getOrDefault(copy.partition(), Map.of());
        Optional<String> same = copies.values().stream()
                .filter(other -> other.copyKey().equals(copy.copyKey()) && other.eventId().equals(copy.eventId()))
                .map(PendingCopy::key).findFirst();
        if (same.isPresent()) {
            return same.get();
        }
        return copies.containsKey(copy.copyKey()) ? copy.copyKey() + PendingCopy.REPLAY_SEPARATOR + copy.eventId() : copy.copyKey();
    }

    private Map<String, DoneCopy> doneOf(int partition) {
        return done.computeIfAbsent(partition, p -> new HashMap<>());
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
        partitions.forEach(done::remove);
        unrestored.removeAll(partitions);
    }

    /**
     * Reads the state of assigned partitions not read yet. If the state topic cannot be read now (broker away), the
     * loop tries again on its next pass: a partition is never owned without its copies being driven.
     */
    private void restore() {
        try {
            restoreUnread();
        } catch (CrawlStateUnavailableException e) {
            log.warn("{}; trying again", e.getMessage());
        }
    }

    /** A copy is handled only once its partition's state is known: else a replay of a done copy would crawl again. */
    private void restoreBefore(int partition) {
        boolean unread;
        synchronized (this) {
            unread = unrestored.contains(partition);
        }
        if (unread) {
            restoreUnread();
        }
    }

    private void restoreUnread() {
        synchronized (restoring) {
            Set<Integer> partitions;
            synchronized (this) {
                partitions = Set.copyOf(unrestored);
            }
            if (partitions.isEmpty()) {
                return;
            }
            CrawlStateStore.State restored;
            try {
                restored = store.restore(partitions);
            } catch (RuntimeException e) {
                throw new CrawlStateUnavailableException("Could not read the crawl state of partitions " + partitions + " yet: " + e, e);
            }
            synchronized (this) {
                // Merged, not replaced: nothing of an unread partition is in memory (its copies wait for this read).
                restored.pending().stream().filter(copy -> unrestored.contains(copy.partition()))
                        .forEach(copy -> pending.computeIfAbsent(copy.partition(), p -> new LinkedHashMap<>()).put(copy.key(), copy));
                restored.done().stream().filter(copy -> unrestored.contains(copy.partition()))
                        .forEach(copy -> doneOf(copy.partition()).put(copy.key(), copy));
                unrestored.removeAll(partitions);
            }
            if (!restored.pending().isEmpty() || !restored.done().isEmpty()) {
                log.info("Restored {} copies waiting for a crawl and {} done on partitions {}", restored.pending().size(),
                        restored.done().size(), partitions);
            }
        }
    }

    public synchronized int pendingCount() {
        return pending.values().stream().mapToInt(Map::size).sum();
    }

    public synchronized int doneCount() {
        return done.values().stream().mapToInt(Map::size).sum();
    }

    /** One pass over every cluster with pending copies. A failure of one cluster does not hold up the others. */
    public void tick() {
        restore();
        try {
            answerFromDone();
            expireDone();
        } catch (RuntimeException e) {
            log.warn("Done copies not answered or expired this pass (trying again on the next): {}", e.toString());
        }
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
            Set<String> answered = new HashSet<>();
            for (PendingCopy copy : covered) {
                if (!answered.contains(copy.key())) {
                    answered.addAll(report(definition, copy, last));
                }
            }
            waiting.removeIf(copy -> answered.contains(copy.key()));
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

    /**
     * Reports a covered copy, and with it every other pending copy of the same export and content (replays that
     * arrived meanwhile): one crawl answers them all. A success that catalogued every copied table is recorded as
     * done first, then the copies are forgotten; a crawl that failed, or left a table uncatalogued, is not: a replay
     * (the way to retry after fixing the cause) crawls again.
     *
     * @return the state keys of the copies answered
     */
    private Set<String> report(CrawlerDefinition definition, PendingCopy copy, LastCrawl crawl) {
        // Read from Glue before taking the lock: a slow or throttled Glue must not hold up the consumer's requests.
        CatalogReport report = crawl.outcome() != Outcome.SUCCEEDED ? null
                : CrawlReports.report(catalog, databases.apply(copy.request().cluster()), copy.request(), crawl.started());
        synchronized (work) {
            List<PendingCopy> twins;
            PendingCopy atExportKey;
            synchronized (this) {
                Map<String, PendingCopy> copies = pending.getOrDefault(copy.partition(), Map.of());
                twins = copies.values().stream().filter(other -> !other.key().equals(copy.key()) && other.sameWorkAs(copy)).toList();
                atExportKey = copies.get(copy.copyKey());
            }
            if (crawl.outcome() != Outcome.SUCCEEDED) {
                publisher.crawlFailed(copy, definition.name(), definition.database(), crawl);
                forget(copy, false);
                for (PendingCopy twin : twins) {
                    publisher.crawlFailed(twin, definition.name(), definition.database(), crawl);
                    forget(twin, false);
                }
            } else {
                Object completed = publisher.completed(copy, definition.name(), report);
                // The export's key holds a pending copy of other content (new work, not yet reported): it keeps its place.
                boolean recordDone = report.failed().isEmpty() && (atExportKey == null || atExportKey.sameWorkAs(copy));
                if (recordDone) {
                    DoneCopy doneCopy = new DoneCopy(copy.copyKey(), copy.partition(), clock.instant(), copy.content(), completed);
                    store.saveDone(doneCopy);
                    synchronized (this) {
                        doneOf(copy.partition()).put(doneCopy.key(), doneCopy);
                    }
                }
                forget(copy, recordDone);
                for (PendingCopy twin : twins) {
                    if (recordDone) {
                        publisher.replayed(twin, completed);
                    } else {
                        publisher.completed(twin, definition.name(), report);
                    }
                    forget(twin, recordDone);
                }
            }
            Set<String> answered = new HashSet<>();
            answered.add(copy.key());
            twins.forEach(twin -> answered.add(twin.key()));
            return answered;
        }
    }

    /**
     * Forgets a reported copy. At the export's own key a done record, just written, replaced it: no tombstone then
     * (it would delete the done record).
     */
    private void forget(PendingCopy copy, boolean replacedByDone) {
        if (!(replacedByDone && copy.key().equals(copy.copyKey()))) {
            store.remove(copy.key(), copy.partition());
        }
        synchronized (this) {
            Map<String, PendingCopy> copies = pending.get(copy.partition());
            if (copies != null) {
                copies.remove(copy.key());
            }
        }
    }

    /**
     * Pending replays whose export is done with the same content (their answer was cut short by a restart, or the
     * done record was read back after them): the recorded CrawlCompleted, no crawl.
     */
    private void answerFromDone() {
        synchronized (work) {
            List<Map.Entry<PendingCopy, DoneCopy>> answers = new ArrayList<>();
            synchronized (this) {
                pending.forEach((partition, copies) -> copies.values().forEach(copy -> {
                    DoneCopy doneCopy = doneOf(partition).get(copy.copyKey());
                    if (doneCopy != null && doneCopy.answers(copy)) {
                        answers.add(Map.entry(copy, doneCopy));
                    }
                }));
            }
            for (Map.Entry<PendingCopy, DoneCopy> answer : answers) {
                publisher.replayed(answer.getKey(), answer.getValue().completed());
                forget(answer.getKey(), true);
            }
        }
    }

    /** Done records {@code doneRetention} old are tombstoned: a replay after that crawls again. */
    private void expireDone() {
        Instant expiredBefore = clock.instant().minus(doneRetention);
        List<DoneCopy> expired;
        synchronized (this) {
            expired = done.values().stream().flatMap(copies -> copies.values().stream())
                    .filter(copy -> !copy.recordedAt().isAfter(expiredBefore)).toList();
        }
        for (DoneCopy copy : expired) {
            synchronized (work) {
                synchronized (this) {
                    if (doneOf(copy.partition()).get(copy.key()) != copy) {
                        continue; // replaced meanwhile (new work on the export) or released with its partition
                    }
                }
                store.remove(copy.key(), copy.partition());
                synchronized (this) {
                    doneOf(copy.partition()).remove(copy.key(), copy);
                }
                log.info("Forgot done export {} (recorded {}, retention {})", copy.key(), copy.recordedAt(), doneRetention);
            }
        }
    }
}
