package io.snaplake.cli.ops;

import io.snaplake.pipeline.messaging.KafkaClientConfigFile;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import picocli.CommandLine.Option;

/**
 * How an operator command reaches Kafka (a picocli mixin): the brokers from {@code --bootstrap-servers},
 * else {@code $KAFKA_BOOTSTRAP_SERVERS}, else {@value UpEnvFile#PATH}; how to connect (TLS, SASL) from the
 * client config file the services read too ({@link KafkaClientConfigFile}: {@code --command-config}, else its
 * variable). {@link KafkaEndpoints} adds the schema registry.
 */
public class KafkaConnection {

    @Option(names = "--bootstrap-servers", description = "Kafka brokers (default: $KAFKA_BOOTSTRAP_SERVERS, then "
            + UpEnvFile.PATH + ", then 127.0.0.1:9092).")
    String bootstrapServers;

    @Option(names = "--command-config", paramLabel = "FILE", description = "Kafka client properties (security.protocol, "
            + "sasl.*, ssl.*, and the registry's basic.auth.*), as kafka-console-consumer takes it (default: $"
            + KafkaClientConfigFile.ENVIRONMENT_VARIABLE + ").")
    Path commandConfig;

    /** A new client's properties: the client config file's, then the brokers; the caller adds its own. */
    public Properties clientProperties() {
        Properties properties = new Properties();
        properties.putAll(clientConfig());
        properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return properties;
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
        return UpEnvFile.resolve(bootstrapServers, "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092");
    }
}
