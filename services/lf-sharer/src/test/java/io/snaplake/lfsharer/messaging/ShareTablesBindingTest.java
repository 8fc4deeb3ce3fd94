package io.snaplake.lfsharer.messaging;

import static io.snaplake.lfsharer.messaging.CrawlCompletedMother.crawlCompleted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.snaplake.events.CrawlCompleted;
import io.snaplake.events.FilteredTable;
import io.snaplake.events.HeldBackColumn;
import io.snaplake.events.HoldReason;
import io.snaplake.events.PipelineFailure;
import io.snaplake.events.PipelineStage;
import io.snaplake.events.TablesShared;
import io.snaplake.testkit.KafkaTopics;
import io.snaplake.testkit.LocalInfra;
import io.snaplake.testkit.SimulatedLakeFormation;
import io.snaplake.pipeline.EventMetadataFactory;
import io.snaplake.pipeline.Stage;
import io.snaplake.pipeline.Topic;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.Column;

/**
 * The service end to end: a real broker and registry, moto's Glue, Lake Formation in {@link SimulatedLakeFormation}
 * (moto's has no data cells filters). CrawlCompleted in, whole TablesShared and PipelineFailure out; records that
 * are not Confluent-wire Avro to the dead-letter topic, and the consumer goes on.
 */
@SpringBootTest
class ShareTablesBindingTest {

    private static final String DATABASE = "binding_orders";
    private static KafkaConsumer<String, Object> shared;
    private static KafkaConsumer<String, Object> failures;

    @Autowired
    private EventMetadataFactory metadata;

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) throws IOException {
        LocalInfra.springProperties().forEach((name, value) -> registry.add(name, () -> value));
        Path policy = Files.createTempFile("sharing-policy", ".yaml");
        Files.writeString(policy, """
                sensitive-columns: ["*email*", "*token*"]
                clusters:
                  orders:
                    glue-database: %s
                    recipients: ["222222222222"]
                    databases:
                      ordersdb:
                        share: [public.orders]
                        filtered:
                          public.customers: {include: [id, country]}
                """.formatted(DATABASE));
        registry.add("snaplake.sharer.policy-file", policy::toString);
        registry.add("snaplake.sharer.lake-formation-endpoint", () -> LakeFormationEndpoint.get().endpoint().toString());
        registry.add("snaplake.sharer.retry.initial-backoff", () -> "1ms");
        registry.add("snaplake.sharer.retry.max-backoff", () -> "10ms");
    }

    @BeforeAll
    static void topicsAndCatalogue() {
        LocalInfra.kafka().createTopics(Topic.CRAWLS_COMPLETED.topicName(), Topic.TABLES_SHARED.topicName(),
                Topic.failuresOf(Stage.LF_SHARER).topicName(), Topic.CRAWLS_COMPLETED.deadLetterTopic(Stage.LF_SHARER));
        shared = KafkaTopics.reader(Topic.TABLES_SHARED.topicName());
        failures = KafkaTopics.reader(Topic.failuresOf(Stage.LF_SHARER).topicName());
        try (GlueClient glue = GlueClient.builder().region(Region.US_EAST_1).endpointOverride(LocalInfra.moto().endpoint()).build()) {
            glue.createDatabase(create -> create.databaseInput(input -> input.name(DATABASE)));
            table(glue, "ordersdb_public_orders", "id", "total", "discount");
            table(glue, "ordersdb_public_customers", "id", "country", "email");
            table(glue, "ordersdb_public_payments", "id", "card_token", "amount");
        }
    }

    @AfterAll
    static void closeReaders() {
        shared.close();
        failures.close();
    }

    @TestConfiguration
    static class FixedClock {
        @Bean
        @Primary
        Clock fixedClock() {
            return Clock.fixed(CrawlCompletedMother.NOW, ZoneOffset.UTC);
        }
    }

    @Test
    void sharesTheDay_andEmitsTheWholeTablesShared_andAnAlertForTheHeldBackColumn() {
        CrawlCompleted input = crawlCompleted("orders", DATABASE);

        KafkaTopics.send(Topic.CRAWLS_COMPLETED.topicName(), "123456789012:orders", input);

        TablesShared expected = TablesShared.newBuilder()
                .setMetadata(metadata.following(input.getMetadata(), "TablesShared"))
                .setSnapshot(input.getSnapshot())
                .setGlueDatabase(DATABASE)
                .setRecipientAccountId("222222222222")
                .setRecipients(List.of("222222222222"))
                .setPublicTables(List.of("ordersdb_public_orders"))
                .setFilteredTables(List.of(new FilteredTable("ordersdb_public_customers", "snaplake_share", List.of("id", "country"), null)))
                .setPrivateTables(List.of("ordersdb_public_payments"))
                .setHeldBackColumns(List.of(new HeldBackColumn("ordersdb_public_orders", "discount", HoldReason.NEW_COLUMN)))
                .setComplete(true)
                .build();
        assertThat(KafkaTopics.awaitValue(shared, "123456789012:orders")).isEqualTo(expected);
        PipelineFailure alert = PipelineFailure.newBuilder()
                .setMetadata(metadata.following(input.getMetadata(), "PipelineFailure", "COLUMNS_HELD_BACK"))
                .setSnapshot(input.getSnapshot())
                .setStage(PipelineStage.LF_SHARER)
                .setReason("COLUMNS_HELD_BACK")
                .setMessage("lf-sharer holds back 1 column(s) of tables shared whole for cluster orders (2026-11-20, Glue database "
                        + DATABASE + "): ordersdb_public_orders.discount (new_column). Recipients do not read them. A sensitive column is "
                        + "never shared; to share a new one, list the table's columns in the policy (share: [{table: ..., columns: [...]}]) "
                        + "and apply.")
                .setRetryable(false)
                .setDetails(Map.of("glueDatabase", DATABASE, "columns", "ordersdb_public_orders.discount (new_column)"))
                .build();
        assertThat(KafkaTopics.awaitValue(failures, "123456789012:orders")).isEqualTo(alert);
    }

    @Test
    void sendsUnreadableRecordsToTheDeadLetterTopic_andGoesOnWithTheNextRecord() {
        String topic = Topic.CRAWLS_COMPLETED.topicName();
        String key = "123456789012:after-poison";
        CrawlCompleted valid = crawlCompleted("after-poison", "not_in_policy_db");
        byte[] validBytes = KafkaTopics.serialize(topic, valid);
        List<byte[]> poison = List.of(new byte[] {1, 0, 0, 0, 1, 2, 4, 6}, new byte[] {0, 0x7f, 0x7f, 0x7f, 0x7f, 2, 4, 6},
                Arrays.copyOf(validBytes, validBytes.length / 2));
        List<RecordMetadata> sent = new ArrayList<>();
        poison.forEach(bytes -> sent.add(KafkaTopics.sendBytes(topic, key, bytes)));
        KafkaTopics.sendBytes(topic, key, validBytes);

        List<ConsumerRecord<String, byte[]>> deadLetters = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> dlq = KafkaTopics.bytesReader(Topic.CRAWLS_COMPLETED.deadLetterTopic(Stage.LF_SHARER))) {
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                deadLetters.addAll(KafkaTopics.poll(dlq));
                return deadLetters.size() >= poison.size();
            });
        }
        assertThat(deadLetters).extracting(ConsumerRecord::value).containsExactlyElementsOf(poison);
        assertThat(deadLetters).extracting(record -> ByteBuffer.wrap(record.headers().lastHeader("kafka_dlt-original-offset").value()).getLong())
                .containsExactlyElementsOf(sent.stream().map(RecordMetadata::offset).toList());
        assertThat(deadLetters).allSatisfy(record -> assertThat(new String(record.headers().lastHeader("kafka_dlt-original-topic").value(),
                StandardCharsets.UTF_8)).isEqualTo(topic));
        // A cluster the policy does not name: nothing shared, every table of the day private.
        TablesShared next = (TablesShared) KafkaTopics.awaitValue(shared, key);
        assertThat(next).isEqualTo(TablesShared.newBuilder()
                .setMetadata(metadata.following(valid.getMetadata(), "TablesShared"))
                .setSnapshot(valid.getSnapshot())
                .setGlueDatabase("not_in_policy_db")
                .setRecipientAccountId("")
                .setPrivateTables(List.of("ordersdb_public_customers", "ordersdb_public_orders", "ordersdb_public_payments"))
                .build());
    }

    private static void table(GlueClient glue, String name, String... columns) {
        glue.createTable(create -> create.databaseName(DATABASE).tableInput(input -> input.name(name)
                .partitionKeys(Column.builder().name("date").type("string").build())
                .storageDescriptor(descriptor -> descriptor.location("s3://lake/orders/" + name + "/")
                        .columns(Arrays.stream(columns).map(column -> Column.builder().name(column).type("string").build()).toList()))));
    }

    /** One simulated Lake Formation endpoint for the test JVM. */
    static final class LakeFormationEndpoint {
        private static SimulatedLakeFormation endpoint;

        static synchronized SimulatedLakeFormation get() {
            if (endpoint == null) {
                endpoint = SimulatedLakeFormation.start();
            }
            return endpoint;
        }
    }
}
