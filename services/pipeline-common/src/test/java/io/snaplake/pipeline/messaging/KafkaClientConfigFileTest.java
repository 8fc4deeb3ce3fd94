package io.snaplake.pipeline.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.mock.env.MockEnvironment;

class KafkaClientConfigFileTest {

    @TempDir
    Path dir;

    @Test
    void putsTheFilesPropertiesIntoTheBindersConfigurationBlock_keepingKafkaConfigProviderReferences() throws Exception {
        Path file = Files.writeString(dir.resolve("client.properties"), """
                security.protocol=SASL_SSL
                sasl.mechanism=SCRAM-SHA-512
                sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="u" password="${file:/etc/kafka/secret.properties:password}";
                basic.auth.credentials.source=USER_INFO
                """);
        MockEnvironment environment = new MockEnvironment()
                .withProperty(KafkaClientConfigEnvironmentPostProcessor.PROPERTY, file.toString())
                .withProperty("spring.cloud.stream.kafka.binder.brokers", "broker:9096")
                .withProperty("spring.cloud.stream.kafka.binder.producer-properties.acks", "all");

        new KafkaClientConfigEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());

        assertThat(BinderClientConfig.producer(environment)).isEqualTo(Map.of(
                "bootstrap.servers", "broker:9096",
                "acks", "all",
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" "
                        + "password=\"${file:/etc/kafka/secret.properties:password}\";",
                "basic.auth.credentials.source", "USER_INFO"));
    }

    @Test
    void changesNothing_withoutAFile() {
        StandardEnvironment environment = new StandardEnvironment();
        int sources = environment.getPropertySources().size();

        new KafkaClientConfigEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getPropertySources().size()).isEqualTo(sources);
    }

    @Test
    void namesTheFile_whenItDoesNotExist() {
        Path missing = dir.resolve("nope.properties");

        assertThatThrownBy(() -> KafkaClientConfigFile.read(missing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(missing.toAbsolutePath().toString())
                .hasMessageContaining("does not exist");
    }
}
