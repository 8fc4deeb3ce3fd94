package io.snaplake.crawlerrunner.crawl;

import static org.assertj.core.api.Assertions.assertThat;

import io.snaplake.crawlerrunner.catalog.CatalogReport;
import io.snaplake.crawlerrunner.catalog.CatalogRequest;
import io.snaplake.crawlerrunner.catalog.CatalogRequest.CopiedTable;
import io.snaplake.crawlerrunner.catalog.Column;
import io.snaplake.crawlerrunner.catalog.GluePartition;
import io.snaplake.crawlerrunner.catalog.GlueTable;
import io.snaplake.crawlerrunner.catalog.MotoCatalog;
import io.snaplake.crawlerrunner.catalog.TableOutcome;
import io.snaplake.crawlerrunner.catalog.TableOutcome.PartitionStatus;
import io.snaplake.crawlerrunner.catalog.TableOutcome.TableStatus;
import io.snaplake.crawlerrunner.catalog.TableOutcome.TypeChange;
import io.snaplake.crawlerrunner.crawl.Crawlers.LastCrawl;
import io.snaplake.crawlerrunner.crawl.Crawlers.Outcome;
import io.snaplake.crawlerrunner.glue.AwsCalls;
import io.snaplake.crawlerrunner.glue.GlueCatalog;
import io.snaplake.crawlerrunner.glue.GlueCrawledCatalog;
import io.snaplake.crawlerrunner.glue.GlueCrawlers;
import io.snaplake.localinfra.LocalInfra;
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

    private final GlueClient glue = MotoCatalog.glue();
    private final GlueCatalog catalog = MotoCatalog.catalog();
    private final AwsCalls calls = new AwsCalls(new io.snaplake.crawlerrunner.catalog.RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(50)));
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
        CrawlCoordinator coordinator = coordinator(counting, Duration.ofSeconds(30));
        coordinator.assigned(List.of(0));
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
        CrawlCoordinator coordinator = coordinator(counting, Duration.ZERO);
        coordinator.assigned(List.of(0));
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
        CrawlCoordinator coordinator = coordinator(new FailingCrawlers(failed), Duration.ZERO);
        coordinator.assigned(List.of(0));
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
        CrawlCoordinator coordinator = coordinator(counting, Duration.ZERO);
        coordinator.assigned(List.of(0));
        String location = "s3://" + LAKE + "/lake/partial/ordersdb/public_orders/date=" + DAY + "/";
        coordinator.request(new PendingCopy("k-partial", 0, now.get(), new CatalogRequest("partial", "snap", "arn", null, DAY, "exp-1", LAKE,
                List.of(new CopiedTable("ordersdb", "public.orders", true, location, null),
                        new CopiedTable("ordersdb", "public.audit", false, null, "SKIPPED_BY_EXPORT"))), null));
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
                cluster -> "snaplake_" + cluster, clock, coalesceWindow, true);
    }

    private PendingCopy copy(String cluster, String export, String folder) {
        return copy(cluster, export, folder, DAY);
    }

    private PendingCopy copy(String cluster, String export, String folder, LocalDate day) {
        String location = "s3://" + LAKE + "/lake/" + cluster + "/ordersdb/" + folder + "/date=" + day + "/";
        return new PendingCopy("123456789012:" + cluster + "/" + export, 0, now.get(), new CatalogRequest(cluster, "rds:" + cluster, "arn",
                null, day, export, LAKE, List.of(new CopiedTable("ordersdb", folder.replaceFirst("_", "."), true, location, null))), null);
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

    /** Copies kept in memory: the coordinator's view of durability (the Kafka store is tested against the broker). */
    static final class InMemoryStore implements CrawlStateStore {
        final Map<String, PendingCopy> copies = new LinkedHashMap<>();
        int failuresToCome;

        @Override
        public synchronized void save(PendingCopy copy) {
            copies.put(copy.key(), copy);
        }

        @Override
        public synchronized void remove(String key, int partition) {
            copies.remove(key);
        }

        @Override
        public synchronized List<PendingCopy> restore(Collection<Integer> partitions) {
            if (failuresToCome > 0) {
                failuresToCome--;
                throw new IllegalStateException("state topic unreadable: broker not available");
            }
            return copies.values().stream().filter(copy -> partitions.contains(copy.partition())).toList();
        }
    }

    static final class RecordingPublisher implements CrawlResultPublisher {
        final List<Map.Entry<String, CatalogReport>> completed = new ArrayList<>();
        final List<Map.Entry<String, LastCrawl>> failed = new ArrayList<>();

        @Override
        public void completed(PendingCopy copy, String crawler, CatalogReport report) {
            completed.add(Map.entry(copy.request().exportTaskId(), report));
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
