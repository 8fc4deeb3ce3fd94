package io.snaplake.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.Properties;

/**
 * Where test-kit's backends learn their settings: a system property or environment variable set by the user,
 * else the properties files test-kit's build wrote (versions, where it copied a downloaded artifact).
 */
final class TestKitSettings {

    private TestKitSettings() {
    }

    /** The value of {@code systemProperty}, else of {@code environmentVariable}, when set and not blank. */
    static Optional<String> configured(String systemProperty, String environmentVariable) {
        return Optional.ofNullable(System.getProperty(systemProperty))
                .or(() -> Optional.ofNullable(System.getenv(environmentVariable)))
                .filter(value -> !value.isBlank());
    }

    /** {@code key} of the build-written {@code resource} beside this class, e.g. {@code apicurio.properties}. */
    static String built(String resource, String key) {
        try (InputStream in = TestKitSettings.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new LocalInfraException(resource + " missing from test-kit's jar");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty(key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
