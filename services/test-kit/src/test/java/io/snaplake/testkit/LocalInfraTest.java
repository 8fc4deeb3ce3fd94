package io.snaplake.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalInfraTest {

    @Test
    void startsEachBackendOncePerJvm() {
        assertThat(LocalInfra.kafka()).isSameAs(LocalInfra.kafka());
        assertThat(LocalInfra.registry()).isSameAs(LocalInfra.registry());
        assertThat(LocalInfra.moto()).isSameAs(LocalInfra.moto());
    }

    @Test
    void givesServiceTestsTheSpringPropertiesOfAllThreeBackends() {
        assertThat(LocalInfra.springProperties()).containsExactly(
                entry("spring.cloud.stream.kafka.binder.brokers", LocalInfra.kafka().bootstrapServers()),
                entry("spring.cloud.stream.kafka.binder.consumer-properties.schema.registry.url", LocalInfra.registry().url()),
                entry("spring.cloud.stream.kafka.binder.producer-properties.schema.registry.url", LocalInfra.registry().url()),
                entry("snaplake.aws.endpoint", LocalInfra.moto().endpoint().toString()));
    }

    @Test
    void failsLoudly_whenTheConfiguredApicurioHomeHoldsNoDistribution(@TempDir Path empty) {
        System.setProperty(ApicurioDistribution.HOME_PROPERTY, empty.toString());
        try {
            assertThatThrownBy(ApicurioRegistry::start)
                    .isInstanceOf(LocalInfraException.class)
                    .hasMessage("snaplake.apicurio.home/SNAPLAKE_APICURIO_HOME points at " + empty + ", which holds no quarkus-run.jar");
        } finally {
            System.clearProperty(ApicurioDistribution.HOME_PROPERTY);
        }
    }

    private static java.util.Map.Entry<String, String> entry(String key, String value) {
        return java.util.Map.entry(key, value);
    }
}
