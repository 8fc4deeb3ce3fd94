package io.snaplake.snapshotlistener.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snaplake.pipeline.Topic;
import io.snaplake.snapshotlistener.messaging.FencedSnapshotPublisher;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

class ListenerSettingsTest {

    @Test
    void failsStartUp_withWhatToSet_whenNoQueueIsConfigured() {
        assertThatThrownBy(() -> bind(Map.of("snaplake.listener.sources.clusters", "orders")))
                .rootCause()
                .hasMessageContaining("SNAPLAKE_LISTENER_QUEUE_URL");
    }

    @Test
    void failsStartUp_withWhatToSet_whenNoSourceIsConfigured() {
        ListenerSettings settings = bind(Map.of("snaplake.listener.queue.url", "https://sqs/queue"));

        assertThatThrownBy(() -> settings.sources().toDomain())
                .hasMessageContaining("SNAPLAKE_LISTENER_SOURCES_CLUSTERS");
    }

    @Test
    void readsCommaSeparatedSources_andDefaultsTheRest() {
        ListenerSettings settings = bind(Map.of(
                "snaplake.listener.queue.name", "rds-events",
                "snaplake.listener.sources.clusters", "orders,billing-*"));

        assertThat(settings.sources().clusters()).containsExactly("orders", "billing-*");
        assertThat(settings.sweep()).isEqualTo(new ListenerSettings.Sweep(true, Duration.ofHours(1), Duration.ofDays(3), Duration.ZERO));
        assertThat(settings.queue().waitTime()).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void delaysTheFirstSweep_whenAsked() {
        ListenerSettings settings = bind(Map.of(
                "snaplake.listener.queue.name", "rds-events",
                "snaplake.listener.sweep.initial-delay", "45s"));

        assertThat(settings.sweep().initialDelay()).isEqualTo(Duration.ofSeconds(45));
        assertThatThrownBy(() -> bind(Map.of("snaplake.listener.queue.name", "q", "snaplake.listener.sweep.initial-delay", "-1s")))
                .rootCause()
                .hasMessageContaining("initial-delay must not be negative");
    }

    @Test
    void rejectsALongPollBeyondSqsLimit() {
        assertThatThrownBy(() -> bind(Map.of("snaplake.listener.queue.url", "u", "snaplake.listener.queue.wait-time", "30s")))
                .rootCause()
                .hasMessageContaining("between 0s and 20s");
    }

    @Test
    void writesSnapshotCreatedToTheTopicInTheTopicList() throws Exception {
        List<PropertySource<?>> yaml = new YamlPropertySourceLoader().load("application", new ClassPathResource("application.yml"));

        assertThat(yaml.get(0).getProperty("spring.cloud.stream.bindings." + FencedSnapshotPublisher.BINDING + ".destination"))
                .hasToString(Topic.SNAPSHOTS_CREATED.topicName());
    }

    private static ListenerSettings bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("snaplake.listener", ListenerSettings.class);
    }
}
