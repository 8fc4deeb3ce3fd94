package io.snaplake.pipeline.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.snaplake.events.SnapshotCreated;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * A minimal service on the project's shared configuration (snaplake-defaults.yml, DeadLetterPublishing): one
 * binding, {@code relayEvent}, reads SnapshotCreated from an input topic and writes it to an output topic
 * (sync), with a dead-letter topic. Its handler fails on purpose for events whose cluster id asks for it,
 * with the exception a real handler would see: {@code aws-outage-<n>} throws the AWS SDK's
 * SdkClientException (no answer from AWS) on its first n attempts; {@code business-bug} always throws an
 * IllegalStateException.
 */
@SpringBootApplication
public class RelayApplication {

    static final String GROUP = "relay-test";
    static final Map<String, AtomicInteger> ATTEMPTS = new ConcurrentHashMap<>();

    @Bean
    Function<SnapshotCreated, SnapshotCreated> relayEvent() {
        return event -> {
            String cluster = event.getSnapshot().getClusterId();
            int attempt = ATTEMPTS.computeIfAbsent(event.getMetadata().getEventId(), id -> new AtomicInteger()).incrementAndGet();
            if (cluster.startsWith("aws-outage-") && attempt <= Integer.parseInt(cluster.substring("aws-outage-".length()))) {
                throw SdkClientException.create("Unable to execute HTTP request: Connect to s3.amazonaws.com failed (attempt "
                        + attempt + ")");
            }
            if (cluster.equals("business-bug")) {
                throw new IllegalStateException("the handler cannot handle cluster " + cluster);
            }
            return event;
        };
    }

    /** Where DeadLetterPublishing counts dead letters (a service gets Actuator's Prometheus registry). */
    @Bean
    MeterRegistry meterRegistry() {
        return new SimpleMeterRegistry();
    }

    /** Starts the service against the given broker and registry, reading {@code input}, writing {@code output}. */
    static ConfigurableApplicationContext start(String brokers, String registryUrl, String input, String output) {
        return start(brokers, registryUrl, input, output, Map.of());
    }

    /** The same with {@code more} settings (a deployment's own, e.g. the Kafka client config file). */
    static ConfigurableApplicationContext start(String brokers, String registryUrl, String input, String output,
            Map<String, String> more) {
        Map<String, String> properties = new java.util.LinkedHashMap<>(Map.ofEntries(
                Map.entry("spring.config.import", "classpath:snaplake-defaults.yml"),
                Map.entry("spring.application.name", GROUP),
                Map.entry("spring.main.web-application-type", "none"),
                Map.entry("spring.cloud.function.definition", "relayEvent"),
                Map.entry("spring.cloud.stream.kafka.binder.brokers", brokers),
                Map.entry("spring.cloud.stream.kafka.binder.consumer-properties.schema.registry.url", registryUrl),
                Map.entry("spring.cloud.stream.kafka.binder.producer-properties.schema.registry.url", registryUrl),
                // A send to a broker that is down fails within seconds (a Kafka TimeoutException in the handler).
                Map.entry("spring.cloud.stream.kafka.binder.producer-properties.max.block.ms", "3000"),
                Map.entry("spring.cloud.stream.kafka.binder.producer-properties.delivery.timeout.ms", "6000"),
                Map.entry("spring.cloud.stream.kafka.binder.producer-properties.request.timeout.ms", "3000"),
                Map.entry("spring.cloud.stream.bindings.relayEvent-in-0.destination", input),
                Map.entry("spring.cloud.stream.bindings.relayEvent-in-0.group", GROUP),
                Map.entry("spring.cloud.stream.bindings.relayEvent-in-0.consumer.use-native-decoding", "true"),
                // Three quick attempts: every outage in the tests lasts far longer than all of them.
                Map.entry("spring.cloud.stream.bindings.relayEvent-in-0.consumer.max-attempts", "3"),
                Map.entry("spring.cloud.stream.bindings.relayEvent-in-0.consumer.back-off-initial-interval", "100"),
                Map.entry("spring.cloud.stream.kafka.bindings.relayEvent-in-0.consumer.enable-dlq", "true"),
                Map.entry("spring.cloud.stream.kafka.bindings.relayEvent-in-0.consumer.dlq-name", deadLetterTopic(input)),
                Map.entry("spring.cloud.stream.bindings.relayEvent-out-0.destination", output),
                Map.entry("spring.cloud.stream.bindings.relayEvent-out-0.producer.use-native-encoding", "true"),
                Map.entry("spring.cloud.stream.kafka.bindings.relayEvent-out-0.producer.sync", "true"),
                Map.entry("snaplake.messaging.outage-retry.initial-interval", "200ms"),
                Map.entry("snaplake.messaging.outage-retry.max-interval", "2s")));
        properties.putAll(more);
        // As command-line arguments: they override snaplake-defaults.yml, as a deployment's settings do.
        return new SpringApplicationBuilder(RelayApplication.class)
                .run(properties.entrySet().stream().map(entry -> "--" + entry.getKey() + "=" + entry.getValue())
                        .toArray(String[]::new));
    }

    static String deadLetterTopic(String input) {
        return input + "." + GROUP + ".dlq";
    }
}
