package io.snaplake.crawlerrunner.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.snaplake.crawlerrunner.catalog.Column;
import io.snaplake.crawlerrunner.catalog.GluePartition;
import io.snaplake.crawlerrunner.catalog.GlueTable;
import io.snaplake.crawlerrunner.catalog.MotoCatalog;
import io.snaplake.crawlerrunner.crawl.PendingCopy;
import io.snaplake.events.CatalogColumn;
import io.snaplake.events.CatalogMethod;
import io.snaplake.events.CatalogedTable;
import io.snaplake.events.CrawlCompleted;
import io.snaplake.events.ParquetCopied;
import io.snaplake.events.PartitionCatalogStatus;
import io.snaplake.events.TableCatalogStatus;
import io.snaplake.events.TableCopyResult;
import io.snaplake.events.TableCopyStatus;
import io.snaplake.localinfra.LocalInfra;
import io.snaplake.localinfra.LocalKafka;
import io.snaplake.pipeline.EventMetadataFactory;
import io.snaplake.pipeline.Stage;
import io.snaplake.pipeline.Topic;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
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
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
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
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class CrawlerMethodBindingTest {

    private static final String LAKE = "binding-crawl-lake";
    private static KafkaConsumer<String, Object> completed;

    @Autowired
    private EventMetadataFactory metadata;

    @Autowired
    private KafkaCrawlStateStore store;

    private final GlueClient glue = MotoCatalog.glue();

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        LocalInfra.springProperties().forEach((name, value) -> registry.add(name, () -> value));
        registry.add("snaplake.crawler.database-template", () -> "snaplake_{cluster}");
        registry.add("snaplake.crawler.crawler-method.clusters", () -> "crawled");
        registry.add("snaplake.crawler.crawler-method.role", () -> "arn:aws:iam::123456789012:role/snaplake-crawler");
        registry.add("snaplake.crawler.crawler-method.poll-interval", () -> "200ms");
        registry.add("snaplake.crawler.crawler-method.coalesce-window", () -> "0s");
    }

    /** A fixed clock (events compared whole): copies are recorded "before" moto's crawls start, as they would be. */
    @TestConfiguration
    static class FixedClock {
        @Bean
        @Primary
        Clock fixedClock() {
            return Clock.fixed(Instant.parse("2026-11-20T06:30:00Z"), ZoneOffset.UTC);
        }
    }

    @BeforeAll
    static void topics() throws Exception {
        LocalInfra.moto().post("/moto-api/state-manager/set-transition",
                "{\"model_name\":\"glue::crawl\",\"transition\":{\"progression\":\"manual\",\"times\":1}}");
        LocalInfra.kafka().createTopics(Topic.PARQUET_COPIED.topicName(), Topic.CRAWLS_COMPLETED.topicName(),
                Topic.failuresOf(Stage.CRAWLER_RUNNER).topicName(), Topic.PARQUET_COPIED.deadLetterTopic(Stage.CRAWLER_RUNNER));
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
        ParquetCopied input = CatalogCopyBindingTest.parquetCopied("crawled", "exp-crawled", false,
                TableCopyResult.newBuilder().setDatabase("ordersdb").setTable("public.orders").setStatus(TableCopyStatus.COPIED)
                        .setExportStatus("COMPLETE").setLocation(location).setFilesFound(1).setFilesCopied(1).build(),
                TableCopyResult.newBuilder().setDatabase("ordersdb").setTable("public.audit").setStatus(TableCopyStatus.SKIPPED_BY_EXPORT)
                        .setExportStatus("FAILED").setMessage("row too large").build());

        KafkaTopics.send(Topic.PARQUET_COPIED.topicName(), "123456789012:crawled", input);

        await().atMost(Duration.ofSeconds(90)).until(() -> crawlerState("snaplake-crawled").equals("RUNNING"));
        List<Column> columns = List.of(new Column("id", "bigint"), new Column("amount", "decimal(12,2)"));
        String table = "s3://" + LAKE + "/lake/crawled/ordersdb/public_orders/";
        var catalog = MotoCatalog.catalog();
        catalog.createTable("snaplake_crawled", new GlueTable("public_orders", table, columns, Map.of("classification", "parquet")));
        catalog.createPartitions("snaplake_crawled", "public_orders", List.of(new GluePartition("2026-11-20", location, columns, Map.of())));
        glue.listCrawls(list -> list.crawlerName("snaplake-crawled"));

        CrawlCompleted expected = CrawlCompleted.newBuilder()
                .setMetadata(metadata.following(input.getMetadata(), "CrawlCompleted"))
                .setSnapshot(input.getSnapshot())
                .setGlueDatabase("snaplake_crawled")
                .setTables(List.of("public_orders"))
                .setPartition("date=2026-11-20")
                .setMethod(CatalogMethod.CRAWLER)
                .setCrawlerName("snaplake-crawled")
                .setExportTaskId("exp-crawled")
                .setComplete(false)
                .setTableResults(List.of(
                        CatalogedTable.newBuilder().setSourceDatabase("ordersdb").setSourceTable("public.orders").setGlueTable("public_orders")
                                .setStatus(TableCatalogStatus.CREATED).setPartitionStatus(PartitionCatalogStatus.ADDED)
                                .setTableLocation(table).setPartitionLocation(location)
                                .setColumns(List.of(new CatalogColumn("id", "bigint"), new CatalogColumn("amount", "decimal(12,2)"))).build(),
                        CatalogedTable.newBuilder().setSourceDatabase("ordersdb").setSourceTable("public.audit").setGlueTable("")
                                .setStatus(TableCatalogStatus.NOT_COPIED).setPartitionStatus(PartitionCatalogStatus.NOT_REGISTERED)
                                .setMessage("not copied (SKIPPED_BY_EXPORT, export status FAILED): row too large").build()))
                .build();
        assertThat(KafkaTopics.awaitValue(completed, "123456789012:crawled")).isEqualTo(expected);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(store.restore(List.of(0, 1, 2))).extracting(PendingCopy::key).doesNotContain("123456789012:crawled/exp-crawled"));
    }

    @Test
    void theStateTopic_givesBackTheCopiesStillWaiting_withWhenTheyWereRecorded() {
        Instant recorded = Instant.parse("2026-11-20T06:00:00Z");
        ParquetCopied first = CatalogCopyBindingTest.parquetCopied("stored", "exp-stored-1", true);
        ParquetCopied second = CatalogCopyBindingTest.parquetCopied("stored", "exp-stored-2", true);
        store.save(KafkaCrawlStateStore.pending(first, 2, recorded));
        store.save(KafkaCrawlStateStore.pending(second, 2, recorded.plusSeconds(5)));
        store.remove(KafkaCrawlStateStore.key(first), 2);

        List<PendingCopy> restored = store.restore(List.of(2)).stream().filter(copy -> copy.key().startsWith("123456789012:stored/")).toList();

        assertThat(restored).containsExactly(KafkaCrawlStateStore.pending(second, 2, recorded.plusSeconds(5)));
    }

    private String crawlerState(String name) {
        try {
            return glue.getCrawler(get -> get.name(name)).crawler().stateAsString();
        } catch (software.amazon.awssdk.services.glue.model.EntityNotFoundException e) {
            return "MISSING";
        }
    }
}
