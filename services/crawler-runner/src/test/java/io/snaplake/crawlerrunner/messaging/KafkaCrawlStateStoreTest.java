package io.snaplake.crawlerrunner.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snaplake.crawlerrunner.domain.CrawlStateStore;
import io.snaplake.crawlerrunner.domain.DoneCopy;
import io.snaplake.crawlerrunner.domain.PendingCopy;
import io.snaplake.events.CatalogMethod;
import io.snaplake.events.CrawlCompleted;
import io.snaplake.events.ParquetCopied;
import io.snaplake.pipeline.EventMetadataFactory;
import io.snaplake.pipeline.state.StateUnavailableException;
import io.snaplake.testkit.KafkaTopics;
import io.snaplake.testkit.LocalInfra;
import io.snaplake.testkit.LocalKafka;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The crawler method's records on a state topic of their own (the real broker and registry, the binder's client
 * settings): a done copy replaces its pending copy and comes back with its time and content digest; a record of
 * another kind stops the read-back as an outage.
 */
class KafkaCrawlStateStoreTest {

    private static final String TOPIC = "crawl-state-" + UUID.randomUUID();
    private static final Instant RECORDED = Instant.parse("2026-11-20T06:00:00Z");

    @BeforeAll
    static void topic() throws Exception {
        LocalInfra.kafka().admin().createTopics(List.of(new NewTopic(TOPIC, LocalKafka.PARTITIONS, (short) 1)
                .configs(Map.of("cleanup.policy", "compact")))).all().get();
    }

    @Test
    void aDoneCopy_replacesItsPendingCopy_andComesBackWithItsTimeAndContent() {
        ParquetCopied copied = CrawlerRunnerEvents.parquetCopied("store", "exp-store-done", true);
        PendingCopy pending = KafkaCrawlStateStore.pending(copied, 1, RECORDED);
        DoneCopy done = new DoneCopy(pending.key(), 1, RECORDED.plusSeconds(90), pending.content(), crawlCompleted(copied));
        try (KafkaCrawlStateStore store = store()) {
            store.save(pending);
            assertThat(store.restore(List.of(1))).isEqualTo(new CrawlStateStore.State(List.of(pending), List.of()));

            store.saveDone(done);

            assertThat(store.restore(List.of(1))).isEqualTo(new CrawlStateStore.State(List.of(), List.of(done)));
        }
    }

    @Test
    void aRecordThisServiceDidNotWrite_stopsTheReadBack_asAnOutage() {
        ParquetCopied copied = CrawlerRunnerEvents.parquetCopied("store", "exp-store-stranger", true);
        KafkaTopics.send(TOPIC, "stranger", copied.getSnapshot());
        try (KafkaCrawlStateStore store = store()) {
            assertThatThrownBy(() -> store.restore(List.of(0, 1, 2)))
                    .isInstanceOf(StateUnavailableException.class)
                    .hasMessageContaining("State topic " + TOPIC + " holds a record this service did not write")
                    .hasMessageContaining("key stranger");
        }
    }

    private static CrawlCompleted crawlCompleted(ParquetCopied copied) {
        EventMetadataFactory metadata = new EventMetadataFactory("crawler-runner", Clock.fixed(RECORDED, ZoneOffset.UTC));
        return CrawlCompleted.newBuilder().setMetadata(metadata.following(copied.getMetadata(), "CrawlCompleted"))
                .setSnapshot(copied.getSnapshot()).setGlueDatabase("snaplake_store").setPartition("date=2026-11-20")
                .setMethod(CatalogMethod.CRAWLER).setCrawlerName("snaplake-store").setExportTaskId(copied.getExportTaskId())
                .setComplete(true).build();
    }

    /** The binder's client settings as snaplake-defaults.yml has them. */
    private static KafkaCrawlStateStore store() {
        String brokers = LocalInfra.kafka().bootstrapServers();
        String registry = LocalInfra.registry().url();
        Map<String, Object> producer = Map.of(
                "bootstrap.servers", brokers,
                "key.serializer", "org.apache.kafka.common.serialization.StringSerializer",
                "value.serializer", "io.snaplake.serde.AvroSerializer",
                "schema.registry.url", registry);
        Map<String, Object> consumer = Map.of(
                "bootstrap.servers", brokers,
                "key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer",
                "value.deserializer", "org.springframework.kafka.support.serializer.ErrorHandlingDeserializer",
                "spring.deserializer.value.delegate.class", "io.snaplake.serde.AvroDeserializer",
                "schema.registry.url", registry,
                "specific.avro.reader", "true");
        return new KafkaCrawlStateStore(TOPIC, producer, consumer, Duration.ofSeconds(15));
    }
}
