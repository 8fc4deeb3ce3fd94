package io.snaplake.crawlerrunner.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snaplake.crawlerrunner.aws.AwsCalls;
import io.snaplake.crawlerrunner.aws.GlueCatalog;
import io.snaplake.crawlerrunner.aws.GlueCrawledCatalog;
import io.snaplake.crawlerrunner.aws.GlueCrawlers;
import io.snaplake.crawlerrunner.aws.MotoCatalog;
import io.snaplake.crawlerrunner.domain.CatalogRequest.CopiedTable;
import io.snaplake.crawlerrunner.domain.Crawlers.LastCrawl;
import io.snaplake.crawlerrunner.domain.Crawlers.Outcome;
import io.snaplake.crawlerrunner.domain.TableOutcome.PartitionStatus;
import io.snaplake.crawlerrunner.domain.TableOutcome.TableStatus;
import io.snaplake.crawlerrunner.domain.TableOutcome.TypeChange;
import io.snaplake.testkit.LocalInfra;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.Crawler;

/**
 * The crawler method against moto's Glue: real CreateCrawler, GetCrawler, StartCrawler, ListCrawls and the catalog
 * reads, with moto's state manager moving a crawl from RUNNING to done when the test says so (manual progression:
 * one ListCrawls call ends the running crawl). moto's crawler creates no tables, so the test plays the crawler's
 * part in the catalog ({@link #crawlerWrites}) while the crawl runs; and moto never fails a crawl, so the failed
 * and cancelled crawls are shown with a test double of the crawler ({@link FailingCrawlers}).
 */
class CrawlCoordinatorTest {

    private static final String LAKE = "crawl-lake";
    private static final LocalDate DAY = LocalDate.parse("2026-11-20");
    private static final List<Column> COLUMNS = List.of(new Column("id", "bigint"), new Column("name", "string"));
    private static final Duration RETENTION = Duration.ofDays(40);

    private final GlueClient glue = MotoCatalog.glue();
    private final GlueCatalog catalog = MotoCatalog.catalog();
    private final AwsCalls calls = new AwsCalls(new io.snaplake.pipeline.retry.RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(50)));
    private final InMemoryStore store = new InMemoryStore();
    private final RecordingPublisher published = new RecordingPublisher();
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.now().minusSeconds(60));
    private final CountingCrawlers counting = new CountingCrawlers(new GlueCrawlers(glue, calls));

    @BeforeAll
    static void crawlsEndWhenListed() {
        LocalInfra.moto().post("/moto-api/state-manager/set-transition",
                "{\"model_name\":\"glue::crawl\",\"transition\":{\"progression\":\"manual\",\"times\":1}}");
    }

    @Test
    void startsOneCrawlForCopiesFinishingCloseTogether_andReportsEachWhenItSucceeds() {
        CrawlCoordinator coordinator = assignedCoordinator(counting, Duration.ofSeconds(30));
        PendingCopy first = copy("together", "exp-1", "public_orders");
        PendingCopy second = copy("together", "exp-2", "public_lines");
        coordinator.request(first);
        coordinator.tick();
        assertThat(crawls("snaplake_together")).as("the crawler is created, no crawl yet: the copy is younger than the window").isZero();
        now.set(now.get().plusSeconds(10));
        coordinator.request(second);
        now.set(now.get().plusSeconds(31));

        coordinator.tick();

        assertThat(crawls("snaplake_together")).as("one crawl for both copies").isEqualTo(1);
        Crawler crawler = glue.getCrawler(get -> get.name("snaplake_together")).crawler();
        assertThat(crawler.state().toString()).isEqualTo("RUNNING");
        assertThat(crawler.targets().s3Targets()).singleElement().satisfies(target ->
                assertThat(target.path()).isEqualTo("s3://" + LAKE + "/lake/together/"));
        assertThat(crawler.configuration()).isEqualTo("{\"Version\":1.0,\"Grouping\":{\"TableLevelConfiguration\":5}}");
        assertThat(crawler.schemaChangePolicy().updateBehaviorAsString()).isEqualTo("UPDATE_IN_DATABASE");
        assertThat(crawler.schemaChangePolicy().deleteBehaviorAsString()).isEqualTo("LOG");
        assertThat(crawler.recrawlPolicy().recrawlBehaviorAsString()).isEqualTo("CRAWL_EVERYTHING");
        coordinator.tick();
        assertThat(published.completed).as("nothing reported while the crawl runs").isEmpty();

        crawlerWrites("together", "public_orders", COLUMNS);
        crawlerWrites("together", "public_lines", COLUMNS);
        endCrawl("snaplake_together");
        coordinator.tick();

        assertThat(published.completed).containsExactly(
                Map.entry("exp-1", new CatalogReport("snaplake_together", List.of(created("together", "public_orders")))),
                Map.entry("exp-2", new CatalogReport("snaplake_together", List.of(created("together", "public_lines")))));
        assertThat(store.copies).isEmpty();
        assertThat(coordinator.pendingCount()).isZero();
        coordinator.tick();
        assertThat(crawls("snaplake_together")).as("no further crawl").isEqualTo(1);
    }

    @Test
    void aCopyRecordedWhileACrawlRuns_waitsForTheNextCrawl_whichReportsTheColumnsItAdded() {
        CrawlCoordinator coordinator = assignedCoordinator(counting, Duration.ZERO);
        coordinator.request(copy("later", "exp-1", "public_orders"));
        coordinator.tick();
        assertThat(crawls("snaplake_later")).isEqualTo(1);
        crawlerWrites("later", "public_orders", COLUMNS);
        now.set(Instant.now()); // this copy finished after the running crawl began
        PendingCopy late = copy("later", "exp-2", "public_orders", LocalDate.parse("2026-11-21"));
        coordinator.request(late);
        coordinator.tick();
        assertThat(crawls("snaplake_later")).as("CrawlerRunningException avoided: still one crawl while it runs").isEqualTo(1);

        endCrawl("snaplake_later");
        coordinator.tick();

        assertThat(published.completed).extracting(Map.Entry::getKey).containsExactly("exp-1");
        assertThat(crawls("snaplake_later")).as("a new crawl for the copy that finished after the first one began").isEqualTo(2);
        List<Column> wider = List.of(new Column("id", "bigint"), new Column("name", "varchar(20)"), new Column("email", "string"));
        crawlerUpdates("later", "public_orders", wider, "2026-11-21");
        endCrawl("snaplake_later");
        coordinator.tick();

        String location = "s3://" + LAKE + "/lake/later/ordersdb/public_orders/";
        assertThat(published.completed.get(1)).isEqualTo(Map.entry("exp-2", new CatalogReport("snaplake_later", List.of(new TableOutcome(
                "ordersdb", "public.orders", "public_orders", TableStatus.UPDATED, PartitionStatus.ADDED, location,
                location + "date=2026-11-21/", wider, List.of("email"), List.of(new TypeChange("name", "string", "varchar(20)")),
                List.of(), null, null)))));
    }

    @Test
    void reportsAFailedOrCancelledCrawl_withItsErrorMessageAndLogLocation() {
        Instant started = now.get().plusSeconds(5);
        LastCrawl failed = new LastCrawl(Outcome.FAILED, started, "Internal Service Exception", "/aws-glue/crawlers", "snaplake_broken");
        CrawlCoordinator coordinator = assignedCoordinator(new FailingCrawlers(failed), Duration.ZERO);
        PendingCopy copy = copy("broken", "exp-1", "public_orders");
        coordinator.request(copy);

        coordinator.tick();

        assertThat(published.failed).containsExactly(Map.entry("exp-1", failed));
        assertThat(published.completed).isEmpty();
        assertThat(store.copies).isEmpty();
    }

    @Test
    void drivesTheCopiesAnotherReplicaLeftPending_onceItsPartitionIsAssigned() {
        PendingCopy left = copy("restarted", "exp-1", "public_orders");
        store.save(left);
        CrawlCoordinator coordinator = coordinator(counting, Duration.ZERO);
        coordinator.tick();
        assertThat(crawls("snaplake_restarted")).as("partition 0 not yet assigned: not this replica's copy").isZero();

        coordinator.assigned(List.of(0));
        coordinator.tick();
        crawlerWrites("restarted", "public_orders", COLUMNS);
        endCrawl("snaplake_restarted");
        coordinator.tick();

        assertThat(published.completed).containsExactly(
                Map.entry("exp-1", new CatalogReport("snaplake_restarted", List.of(created("restarted", "public_orders")))));
    }

    @Test
    void readsThePendingCopiesAgainOnTheNextPass_whenTheStateTopicCannotBeReadAtAssignment() {
        store.save(copy("unreadable", "exp-1", "public_orders"));
        store.failuresToCome = 1;
        CrawlCoordinator coordinator = coordinator(counting, Duration.ZERO);

        coordinator.assigned(List.of(0));
        assertThat(coordinator.pendingCount()).as("the broker was away at assignment").isZero();
        coordinator.tick();

        assertThat(coordinator.pendingCount()).isEqualTo(1);
        assertThat(crawls("snaplake_unreadable")).as("and the copy is driven in the same pass").isEqualTo(1);
    }

    @Test
    void reportsATableTheCrawlDidNotCatalogue_asFailed_andAnUncopiedTableAsNotCopied() {
        CrawlCoordinator coordinator = assignedCoordinator(counting, Duration.ZERO);
        String location = "s3://" + LAKE + "/lake/partial/ordersdb/public_orders/date=" + DAY + "/";
        coordinator.request(new PendingCopy("k-partial", 0, now.get(), new CatalogRequest("partial", "snap", "arn", null, DAY, "exp-1", LAKE,
                List.of(new CopiedTable("ordersdb", "public.orders", true, location, null),
                        new CopiedTable("ordersdb", "public.audit", false, null, "SKIPPED_BY_EXPORT"))), null, "evt-partial", "content-partial"));
        coordinator.tick();
        endCrawl("snaplake_partial");

        coordinator.tick();

        assertThat(published.completed).containsExactly(Map.entry("exp-1", new CatalogReport("snaplake_partial", List.of(
                new TableOutcome("ordersdb", "public.orders", null, TableStatus.FAILED, PartitionStatus.NOT_REGISTERED,
                        "s3://" + LAKE + "/lake/partial/ordersdb/public_orders/", location, List.of(), List.of(), List.of(), List.of(),
                        "the crawl left no Glue table at s3://" + LAKE + "/lake/partial/ordersdb/public_orders/ in snaplake_partial "
                                + "(see the crawler's log): the day is not queryable", null),
                new TableOutcome("ordersdb", "public.audit", null, TableStatus.NOT_COPIED, PartitionStatus.NOT_REGISTERED, null, null,
                        List.of(), List.of(), List.of(), List.of(), "SKIPPED_BY_EXPORT", null)))));
    }

    @Test
    void reEmitsTheRecordedCrawlCompleted_forAReplayOfACrawledCopy_withoutStartingACrawl() {
        CrawlCoordinator coordinator = assignedCoordinator(counting, Duration.ZERO);
        PendingCopy first = copy("replayed", "exp-1", "public_orders");
        crawled(coordinator, first);
        assertThat(store.done).containsOnlyKeys("123456789012:replayed/exp-1");

        coordinator.request(replay(first, "evt-replay", first.content()));
        coordinator.tick();

        assertThat(published.replayed).containsExactly(Map.entry("evt-replay", "CrawlCompleted of evt-exp-1"));
        assertThat(published.completed).hasSize(1);
        assertThat(crawls("snaplake_replayed")).as("no crawl for the replay").isEqualTo(1);
        assertThat(store.copies).as("nothing recorded for it").isEmpty();
    }

    @Test
    void answersAReplayArrivingWhileItsCopyIsPending_withTheSameCrawl() {
        CrawlCoordinator coordinator = assignedCoordinator(counting, Duration.ZERO);
        PendingCopy first = copy("twins", "exp-1", "public_orders");
        coordinator.request(first);
        coordinator.tick();
        assertThat(crawls("snaplake_twins")).isEqualTo(1);
        now.set(Instant.now().plusSeconds(1)); // the replay arrives after the running crawl began
        coordinator.request(replay(first, "evt-replay", first.content()));
        assertThat(store.copies).containsOnlyKeys("123456789012:twins/exp-1", "123456789012:twins/exp-1#evt-replay");

        crawlerWrites("twins", "public_orders", COLUMNS);
        endCrawl("snaplake_twins");
        coordinator.tick();
        coordinator.tick();

        assertThat(published.completed).extracting(Map.Entry::getKey).containsExactly("exp-1");
        assertThat(published.replayed).containsExactly(Map.entry("evt-replay", "CrawlCompleted of evt-exp-1"));
        assertThat(crawls("snaplake_twins")).as("one crawl answers both").isEqualTo(1);
        assertThat(store.copies).isEmpty();
        assertThat(store.done).containsOnlyKeys("123456789012:twins/exp-1");
    }

    @Test
    void crawlsAgain_forAnotherCopyOfTheSameExportWithOtherContent_andKeepsItsResultInstead() {
        CrawlCoordinator coordinator = assignedCoordinator(counting, Duration.ZERO);
        PendingCopy first = copy("recopied", "exp-1", "public_orders");
        crawled(coordinator, first);
        now.set(Instant.now()); // after the first crawl began, before the next one begins

        coordinator.request(replay(first, "evt-recopied", "content-with-more-tables"));
        coordinator.tick();
        endCrawl("snaplake_recopied");
        coordinator.tick();

        assertThat(crawls("snaplake_recopied")).as("new work: a second crawl").isEqualTo(2);
        assertThat(published.replayed).isEmpty();
        assertThat(published.completed).hasSize(2);
        assertThat(store.done.get("123456789012:recopied/exp-1").content()).isEqualTo("content-with-more-tables");
        assertThat(store.done.get("123456789012:recopied/exp-1").completed()).isEqualTo("CrawlCompleted of evt-recopied");
    }

    @Test
    void recordsNothingDone_whenTheCrawlLeftACopiedTableUncatalogued_soThatAReplayCrawlsAgain() {
        CrawlCoordinator coordinator = assignedCoordinator(counting, Duration.ZERO);
        PendingCopy first = copy("uncatalogued", "exp-1", "public_orders");
        coordinator.request(first);
        coordinator.tick();
        endCrawl("snaplake_uncatalogued"); // the crawl wrote no table: the copied table FAILED
        coordinator.tick();
        assertThat(published.completed).singleElement().satisfies(entry -> assertThat(entry.getValue().failed()).hasSize(1));
        assertThat(store.done).isEmpty();
        now.set(Instant.now().plusSeconds(1));

        coordinator.request(replay(first, "evt-retry", first.content()));
        coordinator.tick();

        assertThat(crawls("snaplake_uncatalogued")).as("the replay, sent after fixing the cause, crawls again").isEqualTo(2);
        assertThat(published.replayed).isEmpty();
    }

    @Test
    void forgetsADoneCopyAfterTheRetention_andAReplayThenCrawlsAgain() {
        CrawlCoordinator coordinator = assignedCoordinator(counting, Duration.ZERO);
        PendingCopy first = copy("expiring", "exp-1", "public_orders");
        crawled(coordinator, first);
        now.set(now.get().plus(RETENTION).minusSeconds(1));
        coordinator.tick();
        assertThat(store.done).as("kept until the retention has passed").hasSize(1);

        now.set(now.get().plusSeconds(1));
        coordinator.tick();
        assertThat(store.done).as("tombstoned").isEmpty();
        assertThat(coordinator.doneCount()).isZero();
        now.set(Instant.now().plusSeconds(1));
        coordinator.request(replay(first, "evt-late", first.content()));
        coordinator.tick();

        assertThat(published.replayed).isEmpty();
        assertThat(crawls("snaplake_expiring")).isEqualTo(2);
    }

    @Test
    void answersAReplay_fromTheDoneRecordReadBackByAnotherReplica() {
        PendingCopy first = copy("handed-over", "exp-1", "public_orders");
        crawled(coordinator(counting, Duration.ZERO), first);
        CrawlCoordinator next = coordinator(counting, Duration.ZERO);

        next.assigned(List.of(0));
        next.request(replay(first, "evt-replay", first.content()));
        next.tick();

        assertThat(published.replayed).containsExactly(Map.entry("evt-replay", "CrawlCompleted of evt-exp-1"));
        assertThat(crawls("snaplake_handed-over")).isEqualTo(1);
    }

    @Test
    void answersAPendingReplayFromItsDoneRecord_whenARestartCutItsAnswerShort() {
        PendingCopy first = copy("cut-short", "exp-1", "public_orders");
        crawled(coordinator(counting, Duration.ZERO), first);
        store.save(replay(first, "evt-replay", first.content()).withKey(first.key() + "#evt-replay")); // recorded, never answered

        CrawlCoordinator next = coordinator(counting, Duration.ZERO);
        next.assigned(List.of(0));
        next.tick();

        assertThat(published.replayed).containsExactly(Map.entry("evt-replay", "CrawlCompleted of evt-exp-1"));
        assertThat(store.copies).isEmpty();
        assertThat(store.done).containsOnlyKeys(first.key());
        assertThat(crawls("snaplake_cut-short")).isEqualTo(1);
    }

    @Test
    void refusesACopy_whileItsPartitionsStateCannotBeRead_thenRecordsIt() {
        store.failuresToCome = 2;
        CrawlCoordinator coordinator = assignedCoordinator(counting, Duration.ZERO);
        PendingCopy copy = copy("state-away", "exp-1", "public_orders");

        assertThatThrownBy(() -> coordinator.request(copy)).isInstanceOf(CrawlStateUnavailableException.class)
                .isInstanceOf(io.snaplake.pipeline.DependencyUnavailableException.class)
                .hasMessageContaining("Could not read the crawl state of partitions [0] yet");
        assertThat(store.copies).isEmpty();

        coordinator.request(copy);
        assertThat(store.copies).containsOnlyKeys(copy.key());
    }

    /** Takes a copy through one successful crawl that catalogues it. */
    private void crawled(CrawlCoordinator coordinator, PendingCopy copy) {
        coordinator.assigned(List.of(0));
        coordinator.request(copy);
        coordinator.tick();
        crawlerWrites(copy.request().cluster(), "public_orders", COLUMNS);
        endCrawl("snaplake_" + copy.request().cluster());
        coordinator.tick();
        assertThat(published.completed).extracting(Map.Entry::getKey).contains(copy.request().exportTaskId());
    }

    /** A coordinator that owns partition 0, where the tests' copies are. */
    private CrawlCoordinator assignedCoordinator(Crawlers crawlers, Duration coalesceWindow) {
        CrawlCoordinator coordinator = coordinator(crawlers, coalesceWindow);
        coordinator.assigned(List.of(0));
        return coordinator;
    }

    private CrawlCoordinator coordinator(Crawlers crawlers, Duration coalesceWindow) {
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        return new CrawlCoordinator(crawlers, new GlueCrawledCatalog(glue, calls, catalog), store, published,
                copy -> CrawlerDefinition.over(copy.request().tables().get(0).location().replaceAll("date=.*$", ""),
                        "snaplake_" + copy.request().cluster(), "arn:aws:iam::123456789012:role/snaplake-crawler",
                        "snaplake_" + copy.request().cluster(), "UPDATE_IN_DATABASE", "LOG", "CRAWL_EVERYTHING"),
                cluster -> "snaplake_" + cluster, clock, coalesceWindow, RETENTION, true);
    }

    private PendingCopy copy(String cluster, String export, String folder) {
        return copy(cluster, export, folder, DAY);
    }

    private PendingCopy copy(String cluster, String export, String folder, LocalDate day) {
        String location = "s3://" + LAKE + "/lake/" + cluster + "/ordersdb/" + folder + "/date=" + day + "/";
        return new PendingCopy("123456789012:" + cluster + "/" + export, 0, now.get(), new CatalogRequest(cluster, "rds:" + cluster, "arn",
                null, day, export, LAKE, List.of(new CopiedTable("ordersdb", folder.replaceFirst("_", "."), true, location, null))), null,
                "evt-" + export, "content-" + export);
    }

    /** Another event of the copy's export (a replay: its own event id), recorded now, with the same or other content. */
    private PendingCopy replay(PendingCopy copy, String eventId, String content) {
        return new PendingCopy(copy.copyKey(), copy.partition(), now.get(), copy.request(), null, eventId, content);
    }

    private TableOutcome created(String cluster, String folder) {
        String location = "s3://" + LAKE + "/lake/" + cluster + "/ordersdb/" + folder + "/";
        return new TableOutcome("ordersdb", folder.replaceFirst("_", "."), folder, TableStatus.CREATED, PartitionStatus.ADDED, location,
                location + "date=" + DAY + "/", COLUMNS, List.of(), List.of(), List.of(), null, null);
    }

    /** What a real crawl would do and moto's does not: the table of the folder and its day's partition. */
    private void crawlerWrites(String cluster, String folder, List<Column> columns) {
        String location = "s3://" + LAKE + "/lake/" + cluster + "/ordersdb/" + folder + "/";
        catalog.ensureDatabase("snaplake_" + cluster);
        catalog.createTable("snaplake_" + cluster, new GlueTable(folder, location, columns, Map.of("classification", "parquet")));
        catalog.createPartitions("snaplake_" + cluster, folder, List.of(new GluePartition(DAY.toString(), location + "date=" + DAY + "/",
                columns, Map.of())));
    }

    /** A later crawl's schema change (UPDATE_IN_DATABASE): the table takes the new columns, the new day is added. */
    private void crawlerUpdates(String cluster, String folder, List<Column> columns, String day) {
        String location = "s3://" + LAKE + "/lake/" + cluster + "/ordersdb/" + folder + "/";
        catalog.updateTable("snaplake_" + cluster, new GlueTable(folder, location, columns, Map.of("classification", "parquet")));
        catalog.createPartitions("snaplake_" + cluster, folder, List.of(new GluePartition(day, location + "date=" + day + "/", columns, Map.of())));
    }

    /** moto's state manager (manual progression, once): listing the crawls ends the running one. */
    private void endCrawl(String crawler) {
        glue.listCrawls(list -> list.crawlerName(crawler));
    }

    /** Crawls started (moto's ListCrawls would also end a running crawl, so they are counted on the way in). */
    private int crawls(String crawler) {
        return counting.started.getOrDefault(crawler, 0);
    }

    /** The state kept in memory, one value per key as on the compacted topic (the Kafka store is tested against the broker). */
    static final class InMemoryStore implements CrawlStateStore {
        final Map<String, PendingCopy> copies = new LinkedHashMap<>();
        final Map<String, DoneCopy> done = new LinkedHashMap<>();
        int failuresToCome;

        @Override
        public synchronized void save(PendingCopy copy) {
            done.remove(copy.key());
            copies.put(copy.key(), copy);
        }

        @Override
        public synchronized void saveDone(DoneCopy doneCopy) {
            copies.remove(doneCopy.key());
            done.put(doneCopy.key(), doneCopy);
        }

        @Override
        public synchronized void remove(String key, int partition) {
            copies.remove(key);
            done.remove(key);
        }

        @Override
        public synchronized State restore(Collection<Integer> partitions) {
            if (failuresToCome > 0) {
                failuresToCome--;
                throw new IllegalStateException("state topic unreadable: broker not available");
            }
            return new State(copies.values().stream().filter(copy -> partitions.contains(copy.partition())).toList(),
                    done.values().stream().filter(copy -> partitions.contains(copy.partition())).toList());
        }
    }

    static final class RecordingPublisher implements CrawlResultPublisher {
        final List<Map.Entry<String, CatalogReport>> completed = new ArrayList<>();
        final List<Map.Entry<String, LastCrawl>> failed = new ArrayList<>();
        /** Per replay answered from a done record: its event id, and what was published for the copy done. */
        final List<Map.Entry<String, Object>> replayed = new ArrayList<>();

        @Override
        public Object completed(PendingCopy copy, String crawler, CatalogReport report) {
            completed.add(Map.entry(copy.request().exportTaskId(), report));
            return "CrawlCompleted of " + copy.eventId();
        }

        @Override
        public void replayed(PendingCopy copy, Object recorded) {
            replayed.add(Map.entry(copy.eventId(), recorded));
        }

        @Override
        public void crawlFailed(PendingCopy copy, String crawler, String database, LastCrawl crawl) {
            failed.add(Map.entry(copy.request().exportTaskId(), crawl));
        }
    }

    /** Glue's crawlers, counting the crawls started. */
    record CountingCrawlers(Crawlers glue, Map<String, Integer> started) implements Crawlers {
        CountingCrawlers(Crawlers glue) {
            this(glue, new java.util.concurrent.ConcurrentHashMap<>());
        }

        @Override
        public void ensure(CrawlerDefinition definition) {
            glue.ensure(definition);
        }

        @Override
        public CrawlerStatus status(String crawler) {
            return glue.status(crawler);
        }

        @Override
        public boolean start(String crawler) {
            boolean began = glue.start(crawler);
            if (began) {
                started.merge(crawler, 1, Integer::sum);
            }
            return began;
        }
    }

    /** A test double of a crawler whose crawl FAILED (moto's crawls never fail): READY, its last crawl failed. */
    record FailingCrawlers(LastCrawl last) implements Crawlers {
        @Override
        public void ensure(CrawlerDefinition definition) {
        }

        @Override
        public CrawlerStatus status(String crawler) {
            return new CrawlerStatus("READY", Optional.of(last));
        }

        @Override
        public boolean start(String crawler) {
            throw new AssertionError("the failed crawl began after the copy: no new crawl");
        }
    }
}
