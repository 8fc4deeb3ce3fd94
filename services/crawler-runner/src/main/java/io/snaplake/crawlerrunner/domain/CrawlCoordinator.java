package io.snaplake.crawlerrunner.domain;

import io.snaplake.crawlerrunner.domain.Crawlers.CrawlerStatus;
import io.snaplake.crawlerrunner.domain.Crawlers.LastCrawl;
import io.snaplake.crawlerrunner.domain.Crawlers.Outcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The crawler method: a copied export is recorded durably as pending and the consumer moves on; a loop of its own
 * ({@link #tick()}, never on a consumer thread) starts each cluster's crawler and reports the copies a finished crawl
 * covered. The rules (coalescing, replays, done records, at least once): docs/design/crawler-runner.md.
 */
public final class CrawlCoordinator {

    private static final Logger log = LoggerFactory.getLogger(CrawlCoordinator.class);

    private final Crawlers crawlers;
    private final CrawledCatalog catalog;
    private final CrawlState state;
    private final CrawlResultPublisher publisher;
    private final Function<PendingCopy, CrawlerDefinition> definitions;
    private final Function<String, String> databases;
    private final Clock clock;
    private final Duration coalesceWindow;
    private final Duration doneRetention;
    private final boolean enabled;
    private final Set<String> ensured = new HashSet<>();
    /**
     * Held while a copy is answered or recorded (consumer thread) and while a crawl is reported or a done record
     * expires (loop thread): deciding "replay of a done copy, twin of a pending one, or new work" and acting on it
     * is one step, never interleaved with a report of the same export.
     */
    private final Object work = new Object();

    /**
     * @param definitions   the crawler of a pending copy's cluster
     * @param databases     the Glue database of a cluster
     * @param doneRetention how long a done copy's CrawlCompleted is kept to answer replays
     * @param enabled       false when no cluster uses the crawler method: nothing is restored on assignment
     */
    public CrawlCoordinator(Crawlers crawlers, CrawledCatalog catalog, CrawlStateStore store, CrawlResultPublisher publisher,
            Function<PendingCopy, CrawlerDefinition> definitions, Function<String, String> databases, Clock clock, Duration coalesceWindow,
            Duration doneRetention, boolean enabled) {
        this.crawlers = crawlers;
        this.catalog = catalog;
        this.state = new CrawlState(store);
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
        state.restoreBefore(copy.partition());
        synchronized (work) {
            Optional<DoneCopy> answer = state.answerOf(copy);
            if (answer.isPresent()) {
                publisher.replayed(copy, answer.get().completed());
                log.info("Export {} was crawled already (recorded {}): its CrawlCompleted re-emitted, no crawl started",
                        copy.copyKey(), answer.get().recordedAt());
                return;
            }
            state.recordPending(copy);
        }
    }

    /** These partitions are now this replica's: their pending copies are read back and driven. */
    public void assigned(Collection<Integer> partitions) {
        if (!enabled) {
            return; // no cluster is crawled: no state topic to read (deployments without the crawler method need none)
        }
        state.assigned(partitions);
        restore();
    }

    /** These partitions went to another replica, which drives their pending copies from now on. */
    public void released(Collection<Integer> partitions) {
        state.released(partitions);
    }

    public int pendingCount() {
        return state.pendingCount();
    }

    public int doneCount() {
        return state.doneCount();
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
        state.pendingByCluster().forEach((cluster, copies) -> {
            try {
                drive(cluster, copies);
            } catch (RuntimeException e) {
                // An outage (Glue throttled or down, the broker away): the copies stay pending and the next pass tries again.
                log.warn("Crawl of cluster {} not advanced this pass ({} copies waiting): {}", cluster, copies.size(), e.toString());
            }
        });
    }

    /**
     * Reads the state of assigned partitions not read yet. If the state topic cannot be read now (broker away), the
     * loop tries again on its next pass: a partition is never owned without its copies being driven.
     */
    private void restore() {
        try {
            state.restoreUnread();
        } catch (CrawlStateUnavailableException e) {
            log.warn("{}; trying again", e.getMessage());
        }
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
            // Only a crawl that started after a copy was recorded has listed its files.
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
            CrawlState.Export export = state.exportOf(copy);
            if (crawl.outcome() != Outcome.SUCCEEDED) {
                publisher.crawlFailed(copy, definition.name(), definition.database(), crawl);
                state.forget(copy, false);
                for (PendingCopy twin : export.twins()) {
                    publisher.crawlFailed(twin, definition.name(), definition.database(), crawl);
                    state.forget(twin, false);
                }
            } else {
                Object completed = publisher.completed(copy, definition.name(), report);
                // The export's key holds a pending copy of other content (new work, not yet reported): it keeps its place.
                boolean recordDone = report.failed().isEmpty() && (export.atExportKey() == null || export.atExportKey().sameWorkAs(copy));
                if (recordDone) {
                    state.recordDone(new DoneCopy(copy.copyKey(), copy.partition(), clock.instant(), copy.content(), completed));
                }
                state.forget(copy, recordDone);
                for (PendingCopy twin : export.twins()) {
                    if (recordDone) {
                        publisher.replayed(twin, completed);
                    } else {
                        publisher.completed(twin, definition.name(), report);
                    }
                    state.forget(twin, recordDone);
                }
            }
            Set<String> answered = new HashSet<>();
            answered.add(copy.key());
            export.twins().forEach(twin -> answered.add(twin.key()));
            return answered;
        }
    }

    /** Pending replays whose export is done with the same content: the recorded CrawlCompleted, no crawl. */
    private void answerFromDone() {
        synchronized (work) {
            for (Map.Entry<PendingCopy, DoneCopy> answer : state.pendingAnsweredByDone()) {
                publisher.replayed(answer.getKey(), answer.getValue().completed());
                state.forget(answer.getKey(), true);
            }
        }
    }

    /** Done records {@code doneRetention} old are tombstoned: a replay after that crawls again. */
    private void expireDone() {
        for (DoneCopy copy : state.doneRecordedBy(clock.instant().minus(doneRetention))) {
            synchronized (work) {
                if (state.expire(copy)) {
                    log.info("Forgot done export {} (recorded {}, retention {})", copy.key(), copy.recordedAt(), doneRetention);
                }
            }
        }
    }
}
