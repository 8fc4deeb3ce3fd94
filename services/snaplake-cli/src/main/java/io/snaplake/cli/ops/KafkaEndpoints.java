package io.snaplake.cli.ops;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where the operator commands find Kafka and the schema registry (a picocli mixin): {@link KafkaConnection}'s
 * brokers and client config, and the registry from {@code --registry-url}, else {@code $SCHEMA_REGISTRY_URL},
 * else {@value UpEnvFile#PATH}. So the commands work against {@code ./snaplake up} with no option, and
 * against a real deployment with the options or the environment. The client config reaches every client
 * and serde the commands create through {@link #clientProperties()} and {@link #serdeConfig(Map)}.
 */
public final class KafkaEndpoints extends KafkaConnection {

    @Option(names = "--registry-url", description = "Confluent-compatible schema registry (default: $SCHEMA_REGISTRY_URL, then "
            + UpEnvFile.PATH + ", then http://127.0.0.1:8081).")
    String registryUrl;

    public KafkaEndpoints() {
    }

    public static KafkaEndpoints of(String bootstrapServers, String registryUrl) {
        KafkaEndpoints endpoints = new KafkaEndpoints();
        endpoints.bootstrapServers = bootstrapServers;
        endpoints.registryUrl = registryUrl;
        return endpoints;
    }

    /** The same endpoints with the client config file given (what {@code --command-config} sets). */
    public static KafkaEndpoints of(String bootstrapServers, String registryUrl, Path commandConfig) {
        KafkaEndpoints endpoints = of(bootstrapServers, registryUrl);
        endpoints.commandConfig = commandConfig;
        return endpoints;
    }

    /** A serde's configuration: the client config file's (the registry's basic auth), the registry, then {@code settings}. */
    public Map<String, Object> serdeConfig(Map<String, ?> settings) {
        Map<String, Object> config = new LinkedHashMap<>(clientConfig());
        config.put("schema.registry.url", registryUrl());
        config.putAll(settings);
        return config;
    }

    public String registryUrl() {
        return UpEnvFile.resolve(registryUrl, "SCHEMA_REGISTRY_URL", "http://127.0.0.1:8081");
    }

    @Override
    public String toString() {
        return "kafka " + bootstrapServers() + ", registry " + registryUrl();
    }
}
