package io.snaplake.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SecuredLocalKafkaTest {

    private static SecuredLocalKafka kafka;

    @BeforeAll
    static void start() {
        kafka = SecuredLocalKafka.start();
        kafka.createTopics("secured.test");
    }

    @AfterAll
    static void stop() throws Exception {
        kafka.close();
    }

    @Test
    void writesAndReads_withTheClientUsersScramLogin() throws Exception {
        Map<String, Object> producerConfig = config(kafka.clientProperties());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig, new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>("secured.test", "k", "v")).get(60, TimeUnit.SECONDS);
        }
        Map<String, Object> consumerConfig = config(kafka.clientProperties());
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, "secured-test");
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of("secured.test"));
            ConsumerRecords<String, String> records = ConsumerRecords.empty();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (records.isEmpty() && System.nanoTime() < deadline) {
                records = consumer.poll(Duration.ofMillis(500));
            }
            assertThat(records).extracting(r -> r.key() + "=" + r.value()).containsExactly("k=v");
        }
    }

    @Test
    void refusesAClient_withoutCredentials() {
        // The SASL listener expects a handshake; a PLAINTEXT client never gets an answer, not even metadata.
        try (Admin anonymous = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000))) {
            assertThatThrownBy(() -> anonymous.listTopics().names().get())
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(TimeoutException.class);
        }
    }

    @Test
    void refusesAClient_withAWrongPassword() {
        Map<String, Object> config = config(SecuredLocalKafka.clientProperties(SecuredLocalKafka.CLIENT_USER, "wrong"));
        try (Admin impostor = Admin.create(config)) {
            assertThatThrownBy(() -> impostor.listTopics().names().get())
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(SaslAuthenticationException.class);
        }
    }

    private static Map<String, Object> config(Map<String, String> security) {
        Map<String, Object> config = new HashMap<>(security);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        return config;
    }
}
