package io.snaplake.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class AvroSerdeConfigTest {

    @Test
    void readsConfluentsPropertyNames_andIgnoresEveryOtherClientProperty() {
        AvroSerdeConfig config = AvroSerdeConfig.from(Map.of(
                "schema.registry.url", "http://registry-a:8081, http://registry-b:8081/",
                "auto.register.schemas", "false",
                "use.latest.version", true,
                "specific.avro.reader", "true",
                "avro.remove.java.properties", "true",
                "key.subject.name.strategy", "io.confluent.kafka.serializers.subject.RecordNameStrategy",
                "value.subject.name.strategy", "io.confluent.kafka.serializers.subject.TopicRecordNameStrategy",
                "basic.auth.credentials.source", "USER_INFO",
                "basic.auth.user.info", "snaplake:secret",
                "bootstrap.servers", "kafka:9092"));

        assertThat(config).isEqualTo(new AvroSerdeConfig(
                List.of(URI.create("http://registry-a:8081"), URI.create("http://registry-b:8081")),
                false, true, -1, true, true,
                SubjectNameStrategy.RECORD_NAME, SubjectNameStrategy.TOPIC_RECORD_NAME,
                Optional.of("snaplake:secret")));
    }

    @Test
    void defaultsLikeConfluent_autoRegisterGenericTopicName() {
        AvroSerdeConfig config = AvroSerdeConfig.from(Map.of("schema.registry.url", "http://registry:8081"));

        assertThat(config).isEqualTo(new AvroSerdeConfig(List.of(URI.create("http://registry:8081")),
                true, false, -1, false, false, SubjectNameStrategy.TOPIC_NAME, SubjectNameStrategy.TOPIC_NAME, Optional.empty()));
    }

    @Test
    void takesBasicAuthFromTheUrl_whenTheSourceIsUrl() {
        AvroSerdeConfig config = AvroSerdeConfig.from(Map.of("schema.registry.url", "https://user:pw@registry:8081"));

        assertThat(config.basicAuthUserInfo()).contains("user:pw");
    }

    @Test
    void failsClearly_withoutARegistryUrl() {
        assertThatThrownBy(() -> AvroSerdeConfig.from(Map.of("bootstrap.servers", "kafka:9092")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("schema.registry.url is required, e.g. http://schema-registry:8081");
    }

    @Test
    void failsClearly_onAnUnknownSubjectNameStrategy() {
        assertThatThrownBy(() -> AvroSerdeConfig.from(Map.of("schema.registry.url", "http://r:8081",
                "value.subject.name.strategy", "com.example.MyStrategy")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("value.subject.name.strategy")
                .hasMessageContaining("io.confluent.kafka.serializers.subject.TopicNameStrategy");
    }

    @Test
    void failsClearly_whenUserInfoSourceHasNoUserInfo() {
        assertThatThrownBy(() -> AvroSerdeConfig.from(Map.of("schema.registry.url", "http://r:8081",
                "basic.auth.credentials.source", "USER_INFO")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("basic.auth.user.info=user:password");
    }

    @Test
    void namesSubjectsLikeConfluentsStrategies() {
        var schema = io.snaplake.events.SnapshotCreated.getClassSchema();

        assertThat(SubjectNameStrategy.TOPIC_NAME.subjectName("snaplake.snapshots.created", false, schema))
                .isEqualTo("snaplake.snapshots.created-value");
        assertThat(SubjectNameStrategy.TOPIC_NAME.subjectName("snaplake.snapshots.created", true, schema))
                .isEqualTo("snaplake.snapshots.created-key");
        assertThat(SubjectNameStrategy.RECORD_NAME.subjectName("t", false, schema))
                .isEqualTo("io.snaplake.events.SnapshotCreated");
        assertThat(SubjectNameStrategy.TOPIC_RECORD_NAME.subjectName("t", false, schema))
                .isEqualTo("t-io.snaplake.events.SnapshotCreated");
    }
}
