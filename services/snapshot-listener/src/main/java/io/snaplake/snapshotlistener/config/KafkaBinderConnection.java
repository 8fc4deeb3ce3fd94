package io.snaplake.snapshotlistener.config;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The Kafka binder's connection and consumer settings (snaplake-defaults.yml), reused by the one
 * consumer that cannot be a binding: the history reader, which reads every partition in every replica.
 *
 * @param brokers            the Kafka bootstrap servers, host:port[,host:port...]
 * @param consumerProperties Kafka consumer settings every consumer of the binder shares (deserializers, registry)
 */
@ConfigurationProperties("spring.cloud.stream.kafka.binder")
public record KafkaBinderConnection(String brokers, Map<String, String> consumerProperties) {

    public KafkaBinderConnection {
        if (brokers == null || brokers.isBlank()) {
            throw new IllegalArgumentException("spring.cloud.stream.kafka.binder.brokers (KAFKA_BOOTSTRAP_SERVERS) must be set");
        }
        consumerProperties = consumerProperties == null ? Map.of() : Map.copyOf(consumerProperties);
    }

    public Map<String, Object> consumerConfig() {
        Map<String, Object> config = new HashMap<>(consumerProperties);
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        return config;
    }
}
