package io.snaplake.pipeline.messaging;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * The Kafka binder's own client settings (brokers, serde, registry from snaplake-defaults.yml), for Kafka
 * clients a service creates outside the binder, so they talk to the same cluster in the same format.
 */
public final class BinderClientConfig {

    private static final String BINDER = "spring.cloud.stream.kafka.binder.";

    private BinderClientConfig() {
    }

    /** {@code spring.cloud.stream.kafka.binder.producer-properties} plus the brokers. */
    public static Map<String, Object> producer(Environment environment) {
        return of(environment, "producer-properties");
    }

    /** {@code spring.cloud.stream.kafka.binder.consumer-properties} plus the brokers. */
    public static Map<String, Object> consumer(Environment environment) {
        return of(environment, "consumer-properties");
    }

    private static Map<String, Object> of(Environment environment, String properties) {
        Binder binder = Binder.get(environment);
        Map<String, Object> config = new HashMap<>(binder.bind(BINDER + properties,
                Bindable.mapOf(String.class, String.class)).orElse(Map.of()));
        // snaplake-defaults.yml always sets the brokers; without them a client would only fail on first use.
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, binder.bind(BINDER + "brokers", String.class)
                .orElseThrow(() -> new IllegalStateException(BINDER + "brokers is not set: import "
                        + "classpath:snaplake-defaults.yml (spring.config.import) or set KAFKA_BOOTSTRAP_SERVERS")));
        return config;
    }
}
