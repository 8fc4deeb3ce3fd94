package io.snaplake.pipeline.messaging;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Puts the properties of the {@link KafkaClientConfigFile} named by {@value #PROPERTY} into the Kafka binder's
 * {@code configuration} block, which the binder merges into every client it makes (bindings, topic
 * provisioning, the health check's consumer) and {@link BinderClientConfig} into every client a service makes
 * itself. Runs after the configuration files are loaded, so the path may come from {@code application.yml},
 * {@code snaplake-defaults.yml} ({@code snaplake.kafka.client-config}) or the environment. The file's
 * values win over the same keys set elsewhere in the binder's {@code configuration} block.
 */
public class KafkaClientConfigEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    public static final String PROPERTY = "snaplake.kafka.client-config";
    static final String PROPERTY_SOURCE = "snaplakeKafkaClientConfig";
    private static final String BINDER_CONFIGURATION = "spring.cloud.stream.kafka.binder.configuration.";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String file = Binder.get(environment).bind(PROPERTY, String.class).orElse("");
        if (file.isBlank()) {
            return;
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        KafkaClientConfigFile.read(Path.of(file.trim())).forEach((key, value) ->
                // Kafka's config providers write ${provider:path:key}: the client resolves that, not Spring.
                properties.put(BINDER_CONFIGURATION + key, value.replace("${", "\\${")));
        environment.getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE, properties));
    }

    /** After the config data (application.yml and its imports) is loaded. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
