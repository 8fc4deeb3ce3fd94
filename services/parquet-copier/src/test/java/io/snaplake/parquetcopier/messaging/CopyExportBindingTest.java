package io.snaplake.parquetcopier.messaging;

import static io.snaplake.parquetcopier.domain.WrittenExports.bytes;
import static io.snaplake.parquetcopier.messaging.CopierTestEvents.copied;
import static io.snaplake.parquetcopier.messaging.CopierTestEvents.exportCompleted;
import static io.snaplake.parquetcopier.messaging.CopierTestEvents.parquetCopied;
import static io.snaplake.parquetcopier.domain.WrittenExports.writeSmall;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.snaplake.events.EventMetadata;
import io.snaplake.events.ExportCompleted;
import io.snaplake.events.ParquetCopied;
import io.snaplake.events.PipelineFailure;
import io.snaplake.events.PipelineStage;
import io.snaplake.events.SkippedDatabase;
import io.snaplake.events.TableCopyResult;
import io.snaplake.events.TableCopyStatus;
import io.snaplake.parquetcopier.domain.MotoCopier;
import io.snaplake.pipeline.EventIds;
import io.snaplake.pipeline.EventMetadataFactory;
import io.snaplake.pipeline.Stage;
import io.snaplake.pipeline.Topic;
import io.snaplake.rdsexportwriter.BatchLayout;
import io.snaplake.rdsexportwriter.ExportSpec;
import io.snaplake.rdsexportwriter.ExportWriter;
import io.snaplake.rdsexportwriter.TableSpec;
import io.snaplake.rdsexportwriter.WrittenExport;
import io.snaplake.testkit.KafkaTopics;
import io.snaplake.testkit.LocalInfra;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The service end to end: a real broker and registry, moto's S3; ExportCompleted in, whole ParquetCopied (and
 * PipelineFailure) out; a replayed ExportCompleted copying nothing; records that are not Confluent-wire Avro to the
 * dead-letter topic.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CopyExportBindingTest {

    private static final Instant NOW = Instant.parse("2026-11-20T06:00:00Z");
    private static final String LAKE = "e2e-lake";
    private static KafkaConsumer<String, Object> copied;
    private static KafkaConsumer<String, Object> failures;

    @Autowired
    private EventMetadataFactory metadata;

    @Value("${local.server.port}")
    private int port;

    private final S3Client s3 = MotoCopier.s3();

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        LocalInfra.springProperties().forEach((name, value) -> registry.add(name, () -> value));
        registry.add("snaplake.copier.lake-bucket", () -> LAKE);
        registry.add("snaplake.copier.lake-prefix", () -> "raw");
        registry.add("snaplake.copier.allowed-export-buckets", () -> "e2e-exports");
    }

    @BeforeAll
    static void topics() {
        LocalInfra.kafka().createTopics(Topic.EXPORTS_COMPLETED.topicName(), Topic.PARQUET_COPIED.topicName(),
                Topic.failuresOf(Stage.PARQUET_COPIER).topicName(),
                Topic.EXPORTS_COMPLETED.deadLetterTopic(Stage.PARQUET_COPIER));
        copied = KafkaTopics.reader(Topic.PARQUET_COPIED.topicName());
        failures = KafkaTopics.reader(Topic.failuresOf(Stage.PARQUET_COPIER).topicName());
        try (S3Client s3 = MotoCopier.s3()) {
            s3.createBucket(create -> create.bucket(LAKE));
        }
    }

    @AfterAll
    static void closeReaders() {
        copied.close();
        failures.close();
    }

    @TestConfiguration
    static class FixedClock {
        @Bean
        @Primary
        Clock fixedClock() {
            return Clock.fixed(NOW, ZoneOffset.UTC);
        }
    }

    @Test
    void copiesACompletedExport_andEmitsTheWholeParquetCopied() {
        WrittenExport written = new ExportWriter(s3).write(ExportSpec.sample("e2e-exports", "exports", "orders-2026-11-20"));
        ExportCompleted input = exportCompleted("orders", "exports", "orders-2026-11-20");

        KafkaTopics.send(Topic.EXPORTS_COMPLETED.topicName(), "123456789012:orders", input);

        ParquetCopied expected = parquetCopied(input, metadata.following(input.getMetadata(), "ParquetCopied"), LAKE,
                copied(written, LAKE, "orders", "ordersdb", "public.orders"),
                copied(written, LAKE, "orders", "ordersdb", "public.order_lines"),
                copied(written, LAKE, "orders", "ordersdb", "public.customers"),
                copied(written, LAKE, "orders", "billingdb", "public.invoices"),
                TableCopyResult.newBuilder().setDatabase("billingdb").setTable("public.audit_log")
                        .setStatus(TableCopyStatus.SKIPPED_BY_EXPORT).setExportStatus("FAILED")
                        .setFilesFound(1).setBytesFound(bytes(written, "billingdb", "public.audit_log"))
                        .setMessage("Table public.audit_log was skipped: a row is close to or larger than 2 GB")
                        .build())
                .setSkippedDatabases(List.of(new SkippedDatabase("reportingdb",
                        "Database reportingdb was skipped: the export role has no permission to read it")))
                .build();
        assertThat(KafkaTopics.awaitValue(copied, "123456789012:orders")).isEqualTo(expected);
        assertThat(expected.getMetadata().getEventId()).isEqualTo(EventIds.of(input.getMetadata().getEventId(), "ParquetCopied"));
    }

    @Test
    void copiesNothing_whenTheExportCompletedIsReplayed_andReportsEveryFileAlreadyPresent() {
        WrittenExport written = writeSmall(s3, "e2e-exports", "replay-2026-11-20",
                TableSpec.complete("billingdb", "public.invoices", BatchLayout.NUMBERED_BATCHES, 5).withFilesPerBatch(2));
        String key = "123456789012:replay";
        ExportCompleted original = exportCompleted("replay", "", "replay-2026-11-20");
        KafkaTopics.send(Topic.EXPORTS_COMPLETED.topicName(), key, original);
        ParquetCopied first = (ParquetCopied) KafkaTopics.awaitValue(copied, key);
        Map<String, Instant> lakeAfterFirstCopy = lastModified(LAKE, "raw/replay/");
        ExportCompleted replay = ExportCompleted.newBuilder(original)
                .setMetadata(EventMetadata.newBuilder(original.getMetadata())
                        .setEventId(EventIds.of(original.getMetadata().getEventId(), "replay", "replay-1"))
                        .setReplayOf(original.getMetadata().getEventId()).build())
                .build();

        KafkaTopics.send(Topic.EXPORTS_COMPLETED.topicName(), key, replay);

        ParquetCopied replayed = (ParquetCopied) KafkaTopics.awaitValue(copied, key);
        TableCopyResult copiedFirst = copied(written, LAKE, "replay", "billingdb", "public.invoices");
        ParquetCopied expectedFirst = parquetCopied(original, metadata.following(original.getMetadata(), "ParquetCopied"), LAKE,
                copiedFirst).build();
        ParquetCopied expectedReplay = ParquetCopied.newBuilder(expectedFirst)
                .setMetadata(metadata.following(replay.getMetadata(), "ParquetCopied"))
                .setTables(List.of(TableCopyResult.newBuilder(copiedFirst).setFilesCopied(0).setBytesCopied(0)
                        .setFilesAlreadyPresent(copiedFirst.getFilesFound()).setBytesAlreadyPresent(copiedFirst.getBytesFound())
                        .build()))
                .build();
        assertThat(first).isEqualTo(expectedFirst);
        assertThat(replayed).isEqualTo(expectedReplay);
        assertThat(replayed.getMetadata().getReplayOf()).isEqualTo(first.getMetadata().getEventId());
        assertThat(lastModified(LAKE, "raw/replay/")).hasSize(5).isEqualTo(lakeAfterFirstCopy);
    }

    @Test
    void reportsATableItCouldNotComplete_inParquetCopiedAndAPipelineFailure() {
        writeSmall(s3, "e2e-exports", "billing-2026-11-20",
                TableSpec.complete("billingdb", "public.invoices", BatchLayout.FLAT, 2));
        s3.putObject(put -> put.bucket("e2e-exports").key("billing-2026-11-20/billingdb/public.invoices/../x.gz.parquet"),
                RequestBody.fromString("PAR1 hostile PAR1"));
        ExportCompleted input = exportCompleted("billing", "", "billing-2026-11-20");

        KafkaTopics.send(Topic.EXPORTS_COMPLETED.topicName(), "123456789012:billing", input);

        ParquetCopied event = (ParquetCopied) KafkaTopics.awaitValue(copied, "123456789012:billing");
        String message = "1 problem(s): refused source key part '../x.gz.parquet': it would escape the table path "
                + "(path segment '..' is a relative path segment)";
        assertThat(event.getComplete()).isFalse();
        assertThat(event.getTables()).extracting(TableCopyResult::getStatus, TableCopyResult::getFilesFound,
                        TableCopyResult::getFilesCopied, TableCopyResult::getMessage)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(TableCopyStatus.FAILED, 3L, 2L, message));
        PipelineFailure expectedFailure = PipelineFailure.newBuilder()
                .setMetadata(metadata.following(input.getMetadata(), "PipelineFailure"))
                .setSnapshot(input.getSnapshot())
                .setStage(PipelineStage.PARQUET_COPIER)
                .setReason("TABLE_COPY_FAILED")
                .setMessage("parquet-copier could not complete 1 of 1 tables of export billing-2026-11-20 of cluster billing "
                        + "(2026-11-20) (a re-run resumes without copying twice): billingdb.public.invoices: " + message)
                .setRetryable(true)
                .setDetails(Map.of("exportTaskId", "billing-2026-11-20", "exportLocation", "s3://e2e-exports/",
                        "failedTables", "billingdb.public.invoices"))
                .build();
        assertThat(KafkaTopics.awaitValue(failures, "123456789012:billing")).isEqualTo(expectedFailure);
        // What Prometheus scrapes, as the alert rules (k8s/monitoring) read it: the day is done as far as this
        // stage goes (ParquetCopied emitted), and one failure counted for the cluster.
        assertThat(scraped("snaplake_stage_last_completed_day_seconds{", "cluster=\"billing\"")).containsExactly(
                "snaplake_stage_last_completed_day_seconds{application=\"parquet-copier\",cluster=\"billing\",stage=\"parquet-copier\"} "
                        + (double) LocalDate.parse("2026-11-20").atStartOfDay().toEpochSecond(ZoneOffset.UTC));
        assertThat(scraped("snaplake_stage_failures_total{", "cluster=\"billing\"")).containsExactly(
                "snaplake_stage_failures_total{application=\"parquet-copier\",cluster=\"billing\",reason=\"TABLE_COPY_FAILED\","
                        + "stage=\"parquet-copier\"} 1.0");
        // The consumer lag the SnaplakeConsumerLagGrowing rule reads (the Kafka binder's gauge of the group's lag).
        assertThat(scraped("spring_cloud_stream_binder_kafka_offset{", "group=\"parquet-copier\"")).singleElement()
                .asString().startsWith("spring_cloud_stream_binder_kafka_offset{application=\"parquet-copier\",group=\"parquet-copier\","
                        + "topic=\"snaplake.exports.completed\"} ");
    }

    /** The lines of the service's /actuator/prometheus that start with {@code prefix} and contain {@code label}. */
    private List<String> scraped(String prefix, String label) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/actuator/prometheus")).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            return response.body().lines().filter(line -> line.startsWith(prefix) && line.contains(label)).toList();
        } catch (java.io.IOException | InterruptedException e) {
            throw new AssertionError("could not scrape /actuator/prometheus", e);
        }
    }

    @Test
    void sendsUnreadableRecordsToTheDeadLetterTopic_withTheirOrigin_andGoesOnWithTheNextRecord() {
        String input = Topic.EXPORTS_COMPLETED.topicName();
        String key = "123456789012:after-poison";
        writeSmall(s3, "e2e-exports", "after-poison-2026-11-20",
                TableSpec.complete("billingdb", "public.invoices", BatchLayout.FLAT, 1));
        ExportCompleted valid = exportCompleted("after-poison", "", "after-poison-2026-11-20");
        byte[] validBytes = KafkaTopics.serialize(input, valid);
        Map<String, byte[]> poison = new LinkedHashMap<>();
        poison.put("wrong magic byte", new byte[] {1, 0, 0, 0, 1, 2, 4, 6});
        poison.put("unknown schema id", new byte[] {0, 0x7f, 0x7f, 0x7f, 0x7f, 2, 4, 6});
        poison.put("truncated", Arrays.copyOf(validBytes, validBytes.length / 2));

        // One key, so one partition: the valid record comes after the poison.
        Map<String, RecordMetadata> sent = new LinkedHashMap<>();
        poison.forEach((kind, bytes) -> sent.put(kind, KafkaTopics.sendBytes(input, key, bytes)));
        KafkaTopics.sendBytes(input, key, validBytes);

        List<ConsumerRecord<String, byte[]>> deadLetters = deadLetters(key, poison.size());
        assertThat(deadLetters).hasSize(poison.size());
        sent.forEach((kind, original) -> {
            ConsumerRecord<String, byte[]> dead = deadLetters.stream()
                    .filter(record -> ByteBuffer.wrap(header(record, "kafka_dlt-original-offset")).getLong() == original.offset())
                    .findFirst().orElseThrow(() -> new AssertionError("no dead letter for the " + kind + " record"));
            assertThat(dead.key()).as(kind).isEqualTo(key);
            assertThat(dead.value()).as(kind).isEqualTo(poison.get(kind));
            assertThat(new String(header(dead, "kafka_dlt-original-topic"), StandardCharsets.UTF_8)).as(kind).isEqualTo(input);
            assertThat(ByteBuffer.wrap(header(dead, "kafka_dlt-original-partition")).getInt()).as(kind)
                    .isEqualTo(original.partition());
            assertThat(new String(header(dead, "kafka_dlt-exception-message"), StandardCharsets.UTF_8)).as(kind)
                    .contains("Record on topic '" + input + "'");
        });
        ParquetCopied next = (ParquetCopied) KafkaTopics.awaitValue(copied, key);
        assertThat(next.getMetadata()).isEqualTo(metadata.following(valid.getMetadata(), "ParquetCopied"));
        assertThat(next.getExportTaskId()).isEqualTo("after-poison-2026-11-20");
        assertThat(next.getComplete()).isTrue();
    }

    @Test
    void refusesAnExportInABucketOutsideTheAllowList_toTheDeadLetterTopic_withTheReason_copyingNothing() {
        String key = "123456789012:hostile";
        s3.createBucket(create -> create.bucket("someone-elses-data"));
        writeSmall(s3, "someone-elses-data", "hostile-2026-11-20",
                TableSpec.complete("secretdb", "public.salaries", BatchLayout.FLAT, 1));
        ExportCompleted hostile = ExportCompleted.newBuilder(exportCompleted("hostile", "", "hostile-2026-11-20"))
                .setBucket("someone-elses-data").build();

        RecordMetadata sent = KafkaTopics.sendBytes(Topic.EXPORTS_COMPLETED.topicName(), key,
                KafkaTopics.serialize(Topic.EXPORTS_COMPLETED.topicName(), hostile));

        ConsumerRecord<String, byte[]> dead = deadLetters(key, 1).get(0);
        assertThat(ByteBuffer.wrap(header(dead, "kafka_dlt-original-offset")).getLong()).isEqualTo(sent.offset());
        assertThat(new String(header(dead, "kafka_dlt-exception-message"), StandardCharsets.UTF_8))
                .contains("refused export hostile-2026-11-20: its bucket 'someone-elses-data' is not one the copier may read "
                        + "from [e2e-exports]");
        assertThat(lastModified(LAKE, "raw/hostile/")).isEmpty();
    }

    private static byte[] header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        assertThat(header).as(name).isNotNull();
        return header.value();
    }

    /** The dead letters keyed {@code key}, once at least {@code count} have arrived (90 s at most). */
    private static List<ConsumerRecord<String, byte[]>> deadLetters(String key, int count) {
        List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> dlq = KafkaTopics.bytesReader(Topic.EXPORTS_COMPLETED.deadLetterTopic(Stage.PARQUET_COPIER))) {
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                KafkaTopics.poll(dlq).stream().filter(record -> key.equals(record.key())).forEach(seen::add);
                return seen.size() >= count;
            });
        }
        return seen;
    }

    private Map<String, Instant> lastModified(String bucket, String prefix) {
        return s3.listObjectsV2Paginator(list -> list.bucket(bucket).prefix(prefix)).contents().stream()
                .collect(Collectors.toMap(S3Object::key, S3Object::lastModified));
    }
}
