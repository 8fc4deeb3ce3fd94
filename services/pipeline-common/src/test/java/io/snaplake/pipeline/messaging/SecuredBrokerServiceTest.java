package io.snaplake.pipeline.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.snaplake.events.SnapshotCreated;
import io.snaplake.testkit.LocalInfra;
import io.snaplake.testkit.SecuredLocalKafka;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A service on a broker that admits only SASL/SCRAM clients, its login given in one place: the Kafka client
 * config file named by {@code snaplake.kafka.client-config} (SNAPLAKE_KAFKA_CLIENTCONFIG in a deployment).
 * The binder's consumer and producer, and the dead-letter producer the service makes itself, all connect
 * with it: an event is relayed, poison is dead-lettered.
 */
class SecuredBrokerServiceTest {

    private static final String INPUT = "secured-in-" + UUID.randomUUID();
    private static final String OUTPUT = "secured-out-" + UUID.randomUUID();
    private static SecuredLocalKafka kafka;
    private static ConfigurableApplicationContext service;

    @BeforeAll
    static void startServiceOnTheSecuredBroker() throws Exception {
        kafka = SecuredLocalKafka.start();
        kafka.createTopics(INPUT, OUTPUT, RelayApplication.deadLetterTopic(INPUT));
        Path clientConfig = Files.createDirectories(Path.of("target", "secured-kafka")).resolve("client.properties");
        Properties properties = new Properties();
        properties.putAll(kafka.clientProperties());
        try (Writer writer = Files.newBufferedWriter(clientConfig)) {
            properties.store(writer, "SASL/SCRAM login for the secured local broker");
        }
        service = RelayApplication.start(kafka.bootstrapServers(), LocalInfra.registry().url(), INPUT, OUTPUT,
                Map.of(KafkaClientConfigEnvironmentPostProcessor.PROPERTY, clientConfig.toString()));
    }

    @AfterAll
    static void stop() throws Exception {
        if (service != null) {
            service.close();
        }
        kafka.close();
    }

    @Test
    void relaysAnEvent_andDeadLettersPoison_withTheLoginFromTheClientConfigFile() {
        SnapshotCreated event = TestTopics.event("secured");
        byte[] poison = ByteBuffer.allocate(9).put((byte) 0).putInt(0x7f7f7f7f).putInt(42).array();

        TestTopics.sendBytes(kafka.bootstrapServers(), kafka.clientProperties(), INPUT, "123456789012:poison", poison);
        TestTopics.sendBytes(kafka.bootstrapServers(), kafka.clientProperties(), INPUT, "123456789012:secured",
                TestTopics.serialize(LocalInfra.registry().url(), INPUT, event));

        assertThat(OutageVersusPoisonTest.read(OUTPUT, awaitOne(OUTPUT).value())).isEqualTo(event);
        assertThat(awaitOne(RelayApplication.deadLetterTopic(INPUT)).value()).isEqualTo(poison);
        assertThat(service.getBean("workHealthIndicator", HealthIndicator.class).health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void givesEveryClientTheServiceMakesItself_theFilesLogin_underTheBindersOwnSettings() {
        Map<String, Object> producer = BinderClientConfig.producer(service.getEnvironment());

        assertThat(producer).containsAllEntriesOf(kafka.clientProperties())
                .containsEntry("value.serializer", "io.snaplake.serde.AvroSerializer")
                .containsEntry("bootstrap.servers", kafka.bootstrapServers());
        assertThat(BinderClientConfig.consumer(service.getEnvironment())).containsAllEntriesOf(kafka.clientProperties());
        assertThat(BinderClientConfig.admin(service.getEnvironment())).containsAllEntriesOf(kafka.clientProperties());
    }

    private static ConsumerRecord<String, byte[]> awaitOne(String topic) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> reader = TestTopics.bytesReader(kafka.bootstrapServers(), kafka.clientProperties(), topic)) {
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                records.addAll(TestTopics.poll(reader));
                return !records.isEmpty();
            });
        }
        return records.get(0);
    }
}
