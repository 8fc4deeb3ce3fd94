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
import io.snaplake.events.CatalogMethod;
import io.snaplake.events.CatalogedTable;
import io.snaplake.events.CrawlCompleted;
import io.snaplake.events.ParquetCopied;
import io.snaplake.events.PartitionCatalogStatus;
import io.snaplake.events.PipelineFailure;
import io.snaplake.events.PipelineStage;
import io.snaplake.events.TableCatalogStatus;
import io.snaplake.pipeline.EventIds;
import io.snaplake.pipeline.EventMetadataFactory;
import io.snaplake.pipeline.Stage;
import io.snaplake.pipeline.Topic;
import io.snaplake.rdsexportwriter.RdsColumn;
import io.snaplake.rdsexportwriter.RdsColumns;
import io.snaplake.testkit.KafkaTopics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The service end to end: a real broker and registry, moto's Glue and S3; ParquetCopied in, whole CrawlCompleted
 * (and PipelineFailure) out; a replayed ParquetCopied re-emitting the same CrawlCompleted; records that are not
 * Confluent-wire Avro to the dead-letter topic.
 */
@SpringBootTest
@Import(BindingTestBackends.FixedClock.class)
// Its own context, closed after the class: another test class runs the service with other settings in the same group.
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class CatalogCopyBindingTest {

    private static final String LAKE = CrawlerRunnerEvents.LAKE;
    private static KafkaConsumer<String, Object> completed;
    private static KafkaConsumer<String, Object> failures;

    @Autowired
    private EventMetadataFactory metadata;

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        BindingTestBackends.register(registry);
    }

    @BeforeAll
    static void topics() {
        BindingTestBackends.createTopics();
        completed = KafkaTopics.reader(Topic.CRAWLS_COMPLETED.topicName());
        failures = KafkaTopics.reader(Topic.failuresOf(Stage.CRAWLER_RUNNER).topicName());
    }

    @AfterAll
    static void closeReaders() {
        completed.close();
        failures.close();
    }

    @Test
    void cataloguesACopiedExport_andEmitsTheWholeCrawlCompleted_thenTheSameOneForAReplay() {
        String orders = lakeFiles("orders", "ordersdb", "public_orders", RdsColumns.postgresql(), 3);
        String lines = lakeFiles("orders", "ordersdb", "public_order_lines", RdsColumns.standard(), 2);
        ParquetCopied input = parquetCopied("orders", "exp-orders", false, copied("ordersdb", "public.orders", orders),
                copied("ordersdb", "public.order_lines", lines), skippedByExport("billingdb", "public.audit_log"));

        KafkaTopics.send(Topic.PARQUET_COPIED.topicName(), "123456789012:orders", input);

        CrawlCompleted expected = crawlCompleted(metadata, input, "snaplake_orders")
                .setTables(List.of("ordersdb_public_orders", "ordersdb_public_order_lines"))
                .setMethod(CatalogMethod.DIRECT_REGISTRATION)
                .setComplete(false)
                .setTableResults(List.of(
                        created("ordersdb", "public.orders", "ordersdb_public_orders", orders,
                                column("c_bigint", "bigint"), column("c_integer", "int"), column("c_smallint", "smallint"),
                                column("c_numeric_9_2", "decimal(9,2)"), column("c_numeric_18_6", "decimal(18,6)"),
                                column("c_numeric_38_0", "decimal(38,0)"), column("c_numeric", "string"), column("c_real", "float"),
                                column("c_double", "double"), column("c_money", "string"), column("c_boolean", "boolean"),
                                column("c_bytea", "binary"), column("c_varchar", "string"), column("c_text", "string"),
                                column("c_uuid", "string"), column("c_jsonb", "string"), column("c_array", "string"),
                                column("c_interval", "string"), column("c_date", "date"), column("c_timestamp", "timestamp"),
                                column("c_timestamptz", "timestamp"), column("c_time", "bigint"), column("c_timetz", "string")),
                        created("ordersdb", "public.order_lines", "ordersdb_public_order_lines", lines,
                                column("id", "bigint"), column("name", "string"), column("amount", "decimal(12,2)"),
                                column("updated_at", "timestamp")),
                        notCopied("billingdb", "public.audit_log")))
                .build();
        CrawlCompleted first = (CrawlCompleted) KafkaTopics.awaitValue(completed, "123456789012:orders");
        assertThat(first).isEqualTo(expected);
        assertThat(first.getMetadata().getEventId()).isEqualTo(EventIds.of(input.getMetadata().getEventId(), "CrawlCompleted"));

        ParquetCopied replay = replayOf(input, "r1");
        KafkaTopics.send(Topic.PARQUET_COPIED.topicName(), "123456789012:orders", replay);

        CrawlCompleted replayed = (CrawlCompleted) KafkaTopics.awaitValue(completed, "123456789012:orders");
        assertThat(replayed).isEqualTo(CrawlCompleted.newBuilder(expected)
                .setMetadata(metadata.following(replay.getMetadata(), "CrawlCompleted")).build());
        assertThat(replayed.getMetadata().getReplayOf()).isEqualTo(first.getMetadata().getEventId());
    }

    @Test
    void reportsATableWhoseFilesDisagree_inCrawlCompletedAndAPipelineFailureNamingFileAndColumn() {
        String location = lakeFiles("billing", "billingdb", "public_invoices", RdsColumns.standard(), 1);
        List<RdsColumn> other = new ArrayList<>(RdsColumns.standard());
        other.set(2, new RdsColumn("amount", "double precision", "double", Types.optional(PrimitiveTypeName.DOUBLE).named("amount"), id -> 1.5));
        String odd = MotoCatalog.writeFiles(LAKE, location.substring(("s3://" + LAKE + "/").length()) + "z-", other, 1).get(0);
        ParquetCopied input = parquetCopied("billing", "exp-billing", true, copied("billingdb", "public.invoices", location));

        KafkaTopics.send(Topic.PARQUET_COPIED.topicName(), "123456789012:billing", input);

        String reason = "file s3://" + LAKE + "/" + odd + ": column amount is double but " + location
                + "1_part-00000-0.gz.parquet has it as decimal(12,2); one partition cannot read both, so the day is not registered";
        CrawlCompleted event = (CrawlCompleted) KafkaTopics.awaitValue(completed, "123456789012:billing");
        assertThat(event.getComplete()).isFalse();
        assertThat(event.getTables()).isEmpty();
        assertThat(event.getTableResults()).containsExactly(CatalogedTable.newBuilder().setSourceDatabase("billingdb")
                .setSourceTable("public.invoices").setGlueTable("billingdb_public_invoices").setStatus(TableCatalogStatus.FAILED)
                .setPartitionStatus(PartitionCatalogStatus.NOT_REGISTERED)
                .setTableLocation("s3://" + LAKE + "/raw/billing/billingdb/public_invoices/").setPartitionLocation(location)
                .setMessage(reason).build());
        PipelineFailure expectedFailure = PipelineFailure.newBuilder()
                .setMetadata(metadata.following(input.getMetadata(), "PipelineFailure"))
                .setSnapshot(input.getSnapshot())
                .setStage(PipelineStage.CRAWLER_RUNNER)
                .setReason("TABLE_CATALOG_FAILED")
                .setMessage("crawler-runner could not catalogue 1 of 1 tables of export exp-billing of cluster billing (2026-11-20) in "
                        + "Glue database snaplake_billing (fix the files or the table, then replay the day): billingdb.public.invoices: " + reason)
                .setRetryable(false)
                .setDetails(Map.of("exportTaskId", "exp-billing", "glueDatabase", "snaplake_billing", "failedTables", "billingdb.public.invoices"))
                .build();
        assertThat(KafkaTopics.awaitValue(failures, "123456789012:billing")).isEqualTo(expectedFailure);
    }

    @Test
    void sendsUnreadableRecordsToTheDeadLetterTopic_withTheirOrigin_andGoesOnWithTheNextRecord() {
        String input = Topic.PARQUET_COPIED.topicName();
        String key = "123456789012:after-poison";
        String location = lakeFiles("after-poison", "db", "t", RdsColumns.standard(), 1);
        ParquetCopied valid = parquetCopied("after-poison", "exp-after-poison", true, copied("db", "t", location));
        byte[] validBytes = KafkaTopics.serialize(input, valid);
        Map<String, byte[]> poison = new LinkedHashMap<>();
        poison.put("wrong magic byte", new byte[] {1, 0, 0, 0, 1, 2, 4, 6});
        poison.put("unknown schema id", new byte[] {0, 0x7f, 0x7f, 0x7f, 0x7f, 2, 4, 6});
        poison.put("truncated", Arrays.copyOf(validBytes, validBytes.length / 2));

        // One key, so one partition: the valid record comes after the poison.
        Map<String, RecordMetadata> sent = new LinkedHashMap<>();
        poison.forEach((kind, bytes) -> sent.put(kind, KafkaTopics.sendBytes(input, key, bytes)));
        KafkaTopics.sendBytes(input, key, validBytes);

        List<ConsumerRecord<String, byte[]>> deadLetters = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> dlq = KafkaTopics.bytesReader(Topic.PARQUET_COPIED.deadLetterTopic(Stage.CRAWLER_RUNNER))) {
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                deadLetters.addAll(KafkaTopics.poll(dlq));
                return deadLetters.size() >= poison.size();
            });
        }
        assertThat(deadLetters).hasSize(poison.size());
        sent.forEach((kind, original) -> {
            ConsumerRecord<String, byte[]> dead = deadLetters.stream()
                    .filter(record -> ByteBuffer.wrap(header(record, "kafka_dlt-original-offset")).getLong() == original.offset())
                    .findFirst().orElseThrow(() -> new AssertionError("no dead letter for the " + kind + " record"));
            assertThat(dead.key()).as(kind).isEqualTo(key);
            assertThat(dead.value()).as(kind).isEqualTo(poison.get(kind));
            assertThat(new String(header(dead, "kafka_dlt-original-topic"), StandardCharsets.UTF_8)).as(kind).isEqualTo(input);
            assertThat(ByteBuffer.wrap(header(dead, "kafka_dlt-original-partition")).getInt()).as(kind).isEqualTo(original.partition());
        });
        CrawlCompleted next = (CrawlCompleted) KafkaTopics.awaitValue(completed, key);
        assertThat(next.getMetadata()).isEqualTo(metadata.following(valid.getMetadata(), "CrawlCompleted"));
        assertThat(next.getComplete()).isTrue();
        assertThat(next.getTables()).containsExactly("db_t");
    }

    private static String lakeFiles(String cluster, String database, String folder, List<RdsColumn> columns, int files) {
        String prefix = "raw/" + cluster + "/" + database + "/" + folder + "/date=2026-11-20/";
        MotoCatalog.writeFiles(LAKE, prefix, columns, files);
        return "s3://" + LAKE + "/" + prefix;
    }





    private static byte[] header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        assertThat(header).as(name).isNotNull();
        return header.value();
    }
}
