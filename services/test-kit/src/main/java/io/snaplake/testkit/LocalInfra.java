package io.snaplake.testkit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The JVM-wide local backends, each started lazily on first use and stopped by one shutdown hook, so a
 * module's whole test run starts Kafka, the registry and moto at most once. A backend that cannot start
 * throws {@link LocalInfraException}: tests fail, they are never skipped.
 */
public final class LocalInfra {

    /** moto accepts any credentials, but the SDK's default chain must find some. */
    private static final String MOTO_ACCESS_KEY = "test";

    private static final List<AutoCloseable> started = Collections.synchronizedList(new ArrayList<>());
    private static volatile LocalKafka kafka;
    private static volatile ApicurioRegistry registry;
    private static volatile MotoServer moto;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(LocalInfra::closeAll, "test-kit-shutdown"));
    }

    private LocalInfra() {
    }

    public static LocalKafka kafka() {
        if (kafka == null) {
            kafka = startOnce(() -> kafka, LocalKafka::start);
        }
        return kafka;
    }

    public static ApicurioRegistry registry() {
        if (registry == null) {
            registry = startOnce(() -> registry, ApicurioRegistry::start);
        }
        return registry;
    }

    /**
     * moto, started once. Also sets the {@code aws.accessKeyId}/{@code aws.secretAccessKey} system
     * properties when neither they nor the AWS_ACCESS_KEY_ID variable are set, so SDK clients built
     * with the default credentials chain work against it.
     */
    public static MotoServer moto() {
        if (moto == null) {
            moto = startOnce(() -> moto, MotoServer::start);
            if (System.getenv("AWS_ACCESS_KEY_ID") == null && System.getProperty("aws.accessKeyId") == null) {
                System.setProperty("aws.accessKeyId", MOTO_ACCESS_KEY);
                System.setProperty("aws.secretAccessKey", MOTO_ACCESS_KEY);
            }
        }
        return moto;
    }

    /**
     * The Spring properties a service test sets (e.g. from {@code @DynamicPropertySource}) to run against
     * all three backends: binder brokers, the serdes' schema.registry.url, and the AWS endpoint.
     */
    public static Map<String, String> springProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("spring.cloud.stream.kafka.binder.brokers", kafka().bootstrapServers());
        properties.put("spring.cloud.stream.kafka.binder.consumer-properties.schema.registry.url", registry().url());
        properties.put("spring.cloud.stream.kafka.binder.producer-properties.schema.registry.url", registry().url());
        properties.put("snaplake.aws.endpoint", moto().endpoint().toString());
        return properties;
    }

    /** The same settings as the environment variables a service process reads (for the demo). */
    public static Map<String, String> environmentVariables() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka().bootstrapServers());
        env.put("SCHEMA_REGISTRY_URL", registry().url());
        env.put("SNAPLAKE_AWS_ENDPOINT", moto().endpoint().toString());
        env.put("AWS_ACCESS_KEY_ID", System.getProperty("aws.accessKeyId", MOTO_ACCESS_KEY));
        env.put("AWS_SECRET_ACCESS_KEY", System.getProperty("aws.secretAccessKey", MOTO_ACCESS_KEY));
        return env;
    }

    private static synchronized <T extends AutoCloseable> T startOnce(Supplier<T> current, Supplier<T> starter) {
        T existing = current.get();
        if (existing != null) {
            return existing;
        }
        T backend = starter.get();
        started.add(backend);
        return backend;
    }

    private static void closeAll() {
        List<AutoCloseable> backends;
        synchronized (started) {
            backends = new ArrayList<>(started);
        }
        Collections.reverse(backends);
        for (AutoCloseable backend : backends) {
            try {
                backend.close();
            } catch (Exception e) {
                // The JVM is exiting: report and go on stopping the others.
                System.err.println("test-kit: could not stop " + backend.getClass().getSimpleName() + ": " + e);
            }
        }
    }
}
