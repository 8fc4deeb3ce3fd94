package io.snaplake.cli.ops;

import io.snaplake.pipeline.messaging.KafkaClientConfigFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import picocli.CommandLine.Option;

/**
 * Where the operator commands find Kafka and the schema registry: the options, else the usual
 * environment variables, else the file {@code ./snaplake up} writes ({@value #UP_ENV_FILE}), else the
 * services' own defaults. So the commands work against {@code ./snaplake up} with no option, and against a
 * real deployment with {@code --bootstrap-servers} / {@code --registry-url} or the environment. How to
 * connect (TLS, SASL, the registry's basic auth) comes from the client config file the services read too
 * ({@link KafkaClientConfigFile}: {@code --command-config}, else {@code $SNAPLAKE_KAFKA_CLIENTCONFIG}), and
 * reaches every client and serde the commands create through {@link #clientProperties()} and
 * {@link #serdeConfig(Map)}.
 */
public final class KafkaEndpoints {

    /** Written by {@code ./snaplake up} while the local stack runs; removed when it stops. */
    public static final String UP_ENV_FILE = "target/snaplake-up.env";

    @Option(names = "--bootstrap-servers", description = "Kafka brokers (default: $KAFKA_BOOTSTRAP_SERVERS, then "
            + UP_ENV_FILE + ", then 127.0.0.1:9092).")
    String bootstrapServers;

    @Option(names = "--registry-url", description = "Confluent-compatible schema registry (default: $SCHEMA_REGISTRY_URL, then "
            + UP_ENV_FILE + ", then http://127.0.0.1:8081).")
    String registryUrl;

    @Option(names = "--command-config", paramLabel = "FILE", description = "Kafka client properties (security.protocol, "
            + "sasl.*, ssl.*, and the registry's basic.auth.*), as kafka-console-consumer takes it (default: $"
            + KafkaClientConfigFile.ENVIRONMENT_VARIABLE + ").")
    Path commandConfig;

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

    /** A new client's properties: the client config file's, then the brokers; the caller adds its own. */
    public Properties clientProperties() {
        Properties properties = new Properties();
        properties.putAll(clientConfig());
        properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return properties;
    }

    /** A serde's configuration: the client config file's (the registry's basic auth), the registry, then {@code settings}. */
    public Map<String, Object> serdeConfig(Map<String, ?> settings) {
        Map<String, Object> config = new LinkedHashMap<>(clientConfig());
        config.put("schema.registry.url", registryUrl());
        config.putAll(settings);
        return config;
    }

    /** The client config file's properties; none without {@code --command-config} or its variable. */
    public Map<String, String> clientConfig() {
        if (commandConfig != null) {
            return KafkaClientConfigFile.read(commandConfig);
        }
        String fromEnvironment = System.getenv(KafkaClientConfigFile.ENVIRONMENT_VARIABLE);
        return fromEnvironment == null || fromEnvironment.isBlank() ? Map.of()
                : KafkaClientConfigFile.read(Path.of(fromEnvironment.trim()));
    }

    public String bootstrapServers() {
        return resolve(bootstrapServers, "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092");
    }

    public String registryUrl() {
        return resolve(registryUrl, "SCHEMA_REGISTRY_URL", "http://127.0.0.1:8081");
    }

    private static String resolve(String option, String variable, String fallback) {
        if (option != null && !option.isBlank()) {
            return option;
        }
        String fromEnvironment = System.getenv(variable);
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment;
        }
        return readUpFile(Path.of(UP_ENV_FILE)).getOrDefault(variable, fallback);
    }

    /** The {@code NAME=value} lines of the file {@code ./snaplake up} writes; empty when it is not running. */
    public static Map<String, String> readUpFile(Path file) {
        Map<String, String> values = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            return values;
        }
        try {
            for (String line : Files.readAllLines(file)) {
                int equals = line.indexOf('=');
                if (equals > 0 && !line.startsWith("#")) {
                    values.put(line.substring(0, equals).trim(), line.substring(equals + 1).trim());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return values;
    }

    @Override
    public String toString() {
        return "kafka " + bootstrapServers() + ", registry " + registryUrl();
    }
}
