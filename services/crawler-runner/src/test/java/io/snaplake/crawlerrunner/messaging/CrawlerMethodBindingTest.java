package io.snaplake.crawlerrunner.messaging;

import static io.snaplake.crawlerrunner.messaging.CrawlerRunnerEvents.column;
import static io.snaplake.crawlerrunner.messaging.CrawlerRunnerEvents.copied;
import static io.snaplake.crawlerrunner.messaging.CrawlerRunnerEvents.crawlCompleted;
import static io.snaplake.crawlerrunner.messaging.CrawlerRunnerEvents.created;
import static io.snaplake.crawlerrunner.messaging.CrawlerRunnerEvents.notCopied;
import static io.snaplake.crawlerrunner.messaging.CrawlerRunnerEvents.parquetCopied;
import static io.snaplake.crawlerrunner.messaging.CrawlerRunnerEvents.replayOf;
import static io.snaplake.crawlerrunner.messaging.CrawlerRunnerEvents.skippedByExport;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.snaplake.crawlerrunner.aws.MotoCatalog;
import io.snaplake.crawlerrunner.domain.DoneCopy;
import io.snaplake.crawlerrunner.domain.PendingCopy;
import io.snaplake.crawlerrunner.domain.Column;
import io.snaplake.crawlerrunner.domain.CrawlCoordinator;
import io.snaplake.crawlerrunner.domain.GluePartition;
import io.snaplake.crawlerrunner.domain.GlueTable;
import io.snaplake.events.CatalogMethod;
import io.snaplake.events.CrawlCompleted;
import io.snaplake.events.ParquetCopied;
import io.snaplake.pipeline.EventMetadataFactory;
import io.snaplake.pipeline.Topic;
import io.snaplake.testkit.KafkaTopics;
import io.snaplake.testkit.LocalInfra;
import io.snaplake.testkit.LocalKafka;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.TopicExistsException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.services.glue.GlueClient;

/**
 * The crawler method end to end: a real broker and registry, moto's Glue crawlers. A ParquetCopied of a crawled
 * cluster is recorded on the state topic and committed at once; the coordinator's own loop creates the
 * cluster's crawler, starts a crawl, and publishes the whole CrawlCompleted (method CRAWLER) when moto's state
 * manager ends the crawl (manual progression: ListCrawls ends it). moto's crawler creates no tables, so the
 * test writes what a crawl would (one table, the day's partition) while the crawl runs.
 */
@SpringBootTest
// A fixed clock (events compared whole): copies are recorded "before" moto's crawls start, as they would be.
@Import(BindingTestBackends.FixedClock.class)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class CrawlerMethodBindingTest {

    private static final String LAKE = "binding-crawl-lake";
    private static KafkaConsumer<String, Object> completed;

    @Autowired
    private EventMetadataFactory metadata;

    @Autowired
    private KafkaCrawlStateStore store;

    @Autowired
    private CrawlCoordinator coordinator;

    @Autowired
    private Clock clock;

    private final GlueClient glue = MotoCatalog.glue();

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        BindingTestBackends.register(registry);
        registry.add("snaplake.crawler.crawler-method.clusters", () -> "crawled,rerun");
        registry.add("snaplake.crawler.crawler-method.role", () -> "arn:aws:iam::123456789012:role/snaplake-crawler");
        registry.add("snaplake.crawler.crawler-method.poll-interval", () -> "200ms");
        registry.add("snaplake.crawler.crawler-method.coalesce-window", () -> "0s");
    }

    @BeforeAll
    static void topics() throws Exception {
        LocalInfra.moto().post("/moto-api/state-manager/set-transition",
                "{\"model_name\":\"glue::crawl\",\"transition\":{\"progression\":\"manual\",\"times\":1}}");
        BindingTestBackends.createTopics();
        try {
            LocalInfra.kafka().admin().createTopics(List.of(new NewTopic(Topic.CRAWLER_RUNNER_STATE.topicName(), LocalKafka.PARTITIONS,
                    (short) 1).configs(Map.of("cleanup.policy", "compact")))).all().get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        completed = KafkaTopics.reader(Topic.CRAWLS_COMPLETED.topicName());
    }

    @AfterAll
    static void closeReaders() {
        completed.close();
    }

    @Test
    void cataloguesACrawledClustersCopy_withOneCrawl_andPublishesTheWholeCrawlCompletedWhenTheCrawlSucceeds() {
        String location = "s3://" + LAKE + "/lake/crawled/ordersdb/public_orders/date=2026-11-20/";
        ParquetCopied input = parquetCopied("crawled", "exp-crawled", false, copied("ordersdb", "public.orders", location),
                skippedByExport("ordersdb", "public.audit"));

        KafkaTopics.send(Topic.PARQUET_COPIED.topicName(), "123456789012:crawled", input);

        crawlWrites("crawled", location, List.of(new Column("id", "bigint"), new Column("amount", "decimal(12,2)")));
        CrawlCompleted expected = crawlCompleted(metadata, input, "snaplake_crawled")
                .setTables(List.of("public_orders"))
                .setMethod(CatalogMethod.CRAWLER)
                .setCrawlerName("snaplake-crawled")
                .setComplete(false)
                .setTableResults(List.of(
                        created("ordersdb", "public.orders", "public_orders", location, column("id", "bigint"), column("amount", "decimal(12,2)")),
                        notCopied("ordersdb", "public.audit")))
                .build();
        assertThat(KafkaTopics.awaitValue(completed, "123456789012:crawled")).isEqualTo(expected);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(store.restore(List.of(0, 1, 2)).pending()).extracting(PendingCopy::key).doesNotContain("123456789012:crawled/exp-crawled"));
    }

    @Test
    void theStateTopic_givesBackTheCopiesStillWaiting_withWhenTheyWereRecorded() {
        Instant recorded = Instant.parse("2026-11-20T06:00:00Z");
        ParquetCopied first = parquetCopied("stored", "exp-stored-1", true);
        ParquetCopied second = parquetCopied("stored", "exp-stored-2", true);
        store.save(KafkaCrawlStateStore.pending(first, 2, recorded));
        store.save(KafkaCrawlStateStore.pending(second, 2, recorded.plusSeconds(5)));
        store.remove(KafkaCrawlStateStore.key(first), 2);

        List<PendingCopy> restored = store.restore(List.of(2)).pending().stream().filter(copy -> copy.key().startsWith("123456789012:stored/")).toList();

        assertThat(restored).containsExactly(KafkaCrawlStateStore.pending(second, 2, recorded.plusSeconds(5)));
    }

    @Test
    void reEmitsTheSameCrawlCompleted_forReplays_withoutAnotherCrawl_alsoOnceTheStateIsReadBackFromTheTopic() {
        String location = "s3://" + LAKE + "/lake/rerun/ordersdb/public_orders/date=2026-11-20/";
        ParquetCopied input = parquetCopied("rerun", "exp-replayed", true, copied("ordersdb", "public.orders", location));
        KafkaTopics.send(Topic.PARQUET_COPIED.topicName(), "123456789012:rerun", input);
        crawlWrites("rerun", location, List.of(new Column("id", "bigint")));
        CrawlCompleted expected = crawlCompleted(metadata, input, "snaplake_rerun")
                .setTables(List.of("public_orders"))
                .setMethod(CatalogMethod.CRAWLER)
                .setCrawlerName("snaplake-rerun")
                .setComplete(true)
                .setTableResults(List.of(created("ordersdb", "public.orders", "public_orders", location, column("id", "bigint"))))
                .build();
        assertThat(KafkaTopics.awaitValue(completed, "123456789012:rerun")).isEqualTo(expected);
        String key = "123456789012:rerun/exp-replayed";
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(store.restore(allPartitions()).done())
                .filteredOn(done -> done.key().equals(key)).singleElement().satisfies(done -> assertThat(done.completed()).isEqualTo(expected)));

        // A replay re-copied by the copier: its own event id, files "already present" instead of "copied": the same work.
        ParquetCopied replay = replayOf(input, "r1");
        replay.getTables().get(0).setFilesCopied(0);
        replay.getTables().get(0).setFilesAlreadyPresent(1);
        KafkaTopics.send(Topic.PARQUET_COPIED.topicName(), "123456789012:rerun", replay);

        assertThat(KafkaTopics.awaitValue(completed, "123456789012:rerun")).isEqualTo(CrawlCompleted.newBuilder(expected)
                .setMetadata(metadata.following(replay.getMetadata(), "CrawlCompleted")).build());

        // As after a restart or a rebalance: the replica's memory dropped, the state read back from the topic.
        coordinator.released(allPartitions());
        assertThat(coordinator.doneCount()).isZero();
        coordinator.assigned(allPartitions());
        assertThat(coordinator.doneCount()).isPositive();
        ParquetCopied again = replayOf(input, "r2");
        KafkaTopics.send(Topic.PARQUET_COPIED.topicName(), "123456789012:rerun", again);

        assertThat(KafkaTopics.awaitValue(completed, "123456789012:rerun")).isEqualTo(CrawlCompleted.newBuilder(expected)
                .setMetadata(metadata.following(again.getMetadata(), "CrawlCompleted")).build());
        assertThat(glue.listCrawls(list -> list.crawlerName("snaplake-rerun")).crawls()).as("StartCrawler called once in all").hasSize(1);
        assertThat(crawlerState("snaplake-rerun")).isEqualTo("READY");
        assertThat(store.restore(allPartitions()).pending()).extracting(PendingCopy::key).noneMatch(k -> k.startsWith(key));
    }

    @Test
    void tombstonesADoneRecord_onceItIsTheRetentionOld() {
        ParquetCopied copied = parquetCopied("rerun", "exp-expired", true);
        CrawlCompleted answered = CrawlCompleted.newBuilder().setMetadata(metadata.following(copied.getMetadata(), "CrawlCompleted"))
                .setSnapshot(copied.getSnapshot()).setGlueDatabase("snaplake_rerun").setPartition("date=2026-11-20")
                .setMethod(CatalogMethod.CRAWLER).setCrawlerName("snaplake-rerun").setExportTaskId("exp-expired").setComplete(true).build();
        String key = KafkaCrawlStateStore.key(copied);
        Instant fortyOneDaysAgo = clock.instant().minus(Duration.ofDays(41));
        store.saveDone(new DoneCopy(key, 1, fortyOneDaysAgo, KafkaCrawlStateStore.pending(copied, 1, fortyOneDaysAgo).content(), answered));
        assertThat(store.restore(List.of(1)).done()).extracting(DoneCopy::key).contains(key);
        KafkaConsumer<String, byte[]> state = KafkaTopics.bytesReader(Topic.CRAWLER_RUNNER_STATE.topicName());

        coordinator.released(List.of(1));
        coordinator.assigned(List.of(1));

        try (state) {
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                records.addAll(KafkaTopics.poll(state).stream().filter(r -> key.equals(r.key())).toList());
                return !records.isEmpty() && records.get(records.size() - 1).value() == null;
            });
            assertThat(records).extracting(ConsumerRecord::partition).containsOnly(1);
        }
        assertThat(store.restore(List.of(1)).done()).extracting(DoneCopy::key).doesNotContain(key);
    }


    /**
     * Plays the crawler's part once the cluster's crawl runs (moto's crawler writes nothing): the table of the
     * folder and its day's partition at {@code location}; then ends the crawl (manual progression: ListCrawls ends it).
     */
    private void crawlWrites(String cluster, String location, List<Column> columns) {
        await().atMost(Duration.ofSeconds(90)).until(() -> crawlerState("snaplake-" + cluster).equals("RUNNING"));
        var catalog = MotoCatalog.catalog();
        catalog.createTable("snaplake_" + cluster, new GlueTable("public_orders", location.substring(0, location.indexOf("date=")), columns,
                Map.of("classification", "parquet")));
        catalog.createPartitions("snaplake_" + cluster, "public_orders", List.of(new GluePartition("2026-11-20", location, columns, Map.of())));
        glue.listCrawls(list -> list.crawlerName("snaplake-" + cluster));
    }

    private static List<Integer> allPartitions() {
        List<Integer> partitions = new ArrayList<>();
        for (int p = 0; p < LocalKafka.PARTITIONS; p++) {
            partitions.add(p);
        }
        return partitions;
    }

    private String crawlerState(String name) {
        try {
            return glue.getCrawler(get -> get.name(name)).crawler().stateAsString();
        } catch (software.amazon.awssdk.services.glue.model.EntityNotFoundException e) {
            return "MISSING";
        }
    }
}
