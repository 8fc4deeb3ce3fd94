package io.snaplake.pipeline.messaging;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The one place a deployment states how its Kafka clients and schema-registry clients connect: a Java
 * properties file in Kafka's own format (what {@code kafka-console-consumer --command-config} reads), e.g.
 *
 * <pre>
 * security.protocol=SASL_SSL
 * sasl.mechanism=SCRAM-SHA-512
 * sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="..." password="...";
 * basic.auth.credentials.source=USER_INFO
 * basic.auth.user.info=user:password
 * </pre>
 *
 * Every service applies it to the Kafka binder's {@code configuration} block (so the binder's producers,
 * consumers, admin client and health check use it) and, through {@link BinderClientConfig}, to every client it
 * creates itself; the CLI applies it to every client of the operator commands. The serdes receive the client's
 * properties, so the registry's basic-auth settings ({@code basic.auth.*}, Confluent's names) travel in the
 * same file. In Kubernetes it is a Secret mounted as a file, named by {@value #ENVIRONMENT_VARIABLE}.
 */
public final class KafkaClientConfigFile {

    /** The file's path, for services (through {@code snaplake.kafka.client-config}) and for the CLI. */
    public static final String ENVIRONMENT_VARIABLE = "SNAPLAKE_KAFKA_CLIENTCONFIG";

    private KafkaClientConfigFile() {
    }

    /** The file's properties, in key order; a missing or unreadable file is an error naming it. */
    public static Map<String, String> read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("Kafka client config file " + file.toAbsolutePath()
                    + " does not exist or is not a file (set by --command-config or " + ENVIRONMENT_VARIABLE + ")");
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("Kafka client config file " + file.toAbsolutePath()
                    + " cannot be read as a properties file: " + e.getMessage(), e);
        }
        Map<String, String> values = new TreeMap<>();
        properties.stringPropertyNames().forEach(name -> values.put(name, properties.getProperty(name).trim()));
        return values;
    }
}
