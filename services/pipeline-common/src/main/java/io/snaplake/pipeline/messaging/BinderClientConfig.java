package io.snaplake.pipeline.messaging;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * The Kafka binder's own client settings (brokers, the {@code configuration} block every client shares, which
 * carries security and the registry's credentials (see {@link KafkaClientConfigFile}), then serde and registry
 * from snaplake-defaults.yml), for Kafka clients a service creates outside the binder, so they talk to the same
 * cluster, authenticated the same way, in the same format. Merged as the binder merges them: the
 * {@code configuration} block first, the producer or consumer properties over it.
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

    /** {@code spring.cloud.stream.kafka.binder.configuration} plus the brokers, for an admin client. */
    public static Map<String, Object> admin(Environment environment) {
        return of(environment, null);
    }

    private static Map<String, Object> of(Environment environment, String properties) {
        Binder binder = Binder.get(environment);
        Map<String, Object> config = new HashMap<>(bindMap(binder, BINDER + "configuration"));
        if (properties != null) {
            config.putAll(bindMap(binder, BINDER + properties));
        }
        // snaplake-defaults.yml always sets the brokers; without them a client would only fail on first use.
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, binder.bind(BINDER + "brokers", String.class)
                .orElseThrow(() -> new IllegalStateException(BINDER + "brokers is not set: import "
                        + "classpath:snaplake-defaults.yml (spring.config.import) or set KAFKA_BOOTSTRAP_SERVERS")));
        return config;
    }

    private static Map<String, String> bindMap(Binder binder, String name) {
        return binder.bind(name, Bindable.mapOf(String.class, String.class)).orElse(Map.of());
    }
}
