package io.snaplake.serde;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;

/**
 * The serdes' settings, read from the Kafka client properties under Confluent's names, so that
 * swapping in Confluent's KafkaAvroSerializer/Deserializer is a configuration change. Kafka passes
 * every client property to a serde: properties this class does not know are ignored.
 *
 * @param registryUrls             schema.registry.url: comma-separated base URLs, tried in order
 * @param autoRegisterSchemas      auto.register.schemas (default true): register the record's schema on first use
 * @param useLatestVersion         use.latest.version (default false): with auto-registration off, write with the
 *                                 subject's latest schema instead of looking up the record's own
 * @param latestCacheTtlSeconds    latest.cache.ttl.sec (default -1, for ever): how long the latest version is remembered
 * @param removeJavaProperties     avro.remove.java.properties (default false): leave the generated class's
 *                                 {@code avro.java.string} properties out of the schema registered or looked up
 * @param specificAvroReader       specific.avro.reader (default false): read into generated classes instead of GenericRecord
 * @param keySubjectNameStrategy   key.subject.name.strategy (default TopicNameStrategy)
 * @param valueSubjectNameStrategy value.subject.name.strategy (default TopicNameStrategy)
 * @param basicAuthUserInfo        user:password for HTTP basic auth, from basic.auth.user.info when
 *                                 basic.auth.credentials.source=USER_INFO, or from the URL's user info when URL
 */
public record AvroSerdeConfig(
        List<URI> registryUrls,
        boolean autoRegisterSchemas,
        boolean useLatestVersion,
        long latestCacheTtlSeconds,
        boolean removeJavaProperties,
        boolean specificAvroReader,
        SubjectNameStrategy keySubjectNameStrategy,
        SubjectNameStrategy valueSubjectNameStrategy,
        Optional<String> basicAuthUserInfo) {

    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    public static final String USE_LATEST_VERSION = "use.latest.version";
    public static final String LATEST_CACHE_TTL = "latest.cache.ttl.sec";
    public static final String REMOVE_JAVA_PROPERTIES = "avro.remove.java.properties";
    public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";
    public static final String KEY_SUBJECT_NAME_STRATEGY = "key.subject.name.strategy";
    public static final String VALUE_SUBJECT_NAME_STRATEGY = "value.subject.name.strategy";
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    /** Confluent's older spelling of {@link #BASIC_AUTH_USER_INFO}. */
    public static final String SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO = "schema.registry.basic.auth.user.info";

    public AvroSerdeConfig {
        registryUrls = List.copyOf(registryUrls);
        if (registryUrls.isEmpty()) {
            throw new ConfigException(SCHEMA_REGISTRY_URL + " is required, e.g. http://schema-registry:8081");
        }
    }

    /** Parses the properties Kafka hands to {@code configure}. */
    public static AvroSerdeConfig from(Map<String, ?> configs) {
        Object urls = configs.get(SCHEMA_REGISTRY_URL);
        if (urls == null || String.valueOf(urls).isBlank()) {
            throw new ConfigException(SCHEMA_REGISTRY_URL + " is required, e.g. http://schema-registry:8081");
        }
        List<URI> registryUrls = splitUrls(urls);
        return new AvroSerdeConfig(
                registryUrls,
                bool(configs, AUTO_REGISTER_SCHEMAS, true),
                bool(configs, USE_LATEST_VERSION, false),
                number(configs, LATEST_CACHE_TTL, -1),
                bool(configs, REMOVE_JAVA_PROPERTIES, false),
                bool(configs, SPECIFIC_AVRO_READER, false),
                strategy(configs, KEY_SUBJECT_NAME_STRATEGY),
                strategy(configs, VALUE_SUBJECT_NAME_STRATEGY),
                basicAuth(configs, registryUrls));
    }

    public SubjectNameStrategy subjectNameStrategy(boolean isKey) {
        return isKey ? keySubjectNameStrategy : valueSubjectNameStrategy;
    }

    private static List<URI> splitUrls(Object value) {
        List<String> parts = value instanceof List<?> list
                ? list.stream().map(String::valueOf).toList()
                : Arrays.asList(String.valueOf(value).split(","));
        return parts.stream().map(String::trim).filter(s -> !s.isEmpty()).map(url -> {
            try {
                URI uri = new URI(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
                if (uri.getScheme() == null || uri.getHost() == null) {
                    throw new ConfigException(SCHEMA_REGISTRY_URL, value, "not an absolute http(s) URL: " + url);
                }
                return uri;
            } catch (URISyntaxException e) {
                throw new ConfigException(SCHEMA_REGISTRY_URL, value, "not a URL: " + e.getMessage());
            }
        }).toList();
    }

    private static Optional<String> basicAuth(Map<String, ?> configs, List<URI> urls) {
        Object configuredSource = configs.get(BASIC_AUTH_CREDENTIALS_SOURCE);
        String source = configuredSource == null ? "URL" : String.valueOf(configuredSource).trim();
        switch (source) {
            case "USER_INFO": {
                Object userInfo = Optional.<Object>ofNullable(configs.get(BASIC_AUTH_USER_INFO))
                        .orElse(configs.get(SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO));
                if (userInfo == null || !String.valueOf(userInfo).contains(":")) {
                    throw new ConfigException(BASIC_AUTH_USER_INFO, userInfo == null ? null : "(hidden)",
                            BASIC_AUTH_CREDENTIALS_SOURCE + "=USER_INFO needs " + BASIC_AUTH_USER_INFO + "=user:password");
                }
                return Optional.of(String.valueOf(userInfo));
            }
            case "URL":
                return urls.stream().map(URI::getUserInfo).filter(info -> info != null && !info.isEmpty()).findFirst();
            default:
                throw new ConfigException(BASIC_AUTH_CREDENTIALS_SOURCE, source, "supported: USER_INFO, URL");
        }
    }

    private static boolean bool(Map<String, ?> configs, String name, boolean defaultValue) {
        Object value = configs.get(name);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        String text = String.valueOf(value).trim();
        if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
            throw new ConfigException(name, value, "expected true or false");
        }
        return Boolean.parseBoolean(text);
    }

    private static long number(Map<String, ?> configs, String name, long defaultValue) {
        Object value = configs.get(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            return value instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(value).trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(name, value, "expected a whole number");
        }
    }

    private static SubjectNameStrategy strategy(Map<String, ?> configs, String name) {
        Object value = configs.get(name);
        return value == null ? SubjectNameStrategy.TOPIC_NAME : SubjectNameStrategy.fromConfig(name, value);
    }
}
