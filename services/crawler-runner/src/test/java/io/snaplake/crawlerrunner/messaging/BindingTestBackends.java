package io.snaplake.crawlerrunner.messaging;

import io.snaplake.pipeline.Stage;
import io.snaplake.pipeline.Topic;
import io.snaplake.testkit.LocalInfra;
import java.time.Clock;
import java.time.ZoneOffset;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;

/** What the service's binding tests run against: the local broker, registry and moto, the stage's topics, a fixed clock. */
final class BindingTestBackends {

    private BindingTestBackends() {
    }

    /** The local backends' settings, and Glue databases named {@code snaplake_<cluster>}. */
    static void register(DynamicPropertyRegistry registry) {
        LocalInfra.springProperties().forEach((name, value) -> registry.add(name, () -> value));
        registry.add("snaplake.crawler.database-template", () -> "snaplake_{cluster}");
    }

    /** The stage's input, output, failure and dead-letter topics. */
    static void createTopics() {
        LocalInfra.kafka().createTopics(Topic.PARQUET_COPIED.topicName(), Topic.CRAWLS_COMPLETED.topicName(),
                Topic.failuresOf(Stage.CRAWLER_RUNNER).topicName(), Topic.PARQUET_COPIED.deadLetterTopic(Stage.CRAWLER_RUNNER));
    }

    /** The service's clock fixed at {@link CrawlerRunnerEvents#NOW} (events are compared whole, times included). */
    @TestConfiguration
    static class FixedClock {
        @Bean
        @Primary
        Clock fixedClock() {
            return Clock.fixed(CrawlerRunnerEvents.NOW, ZoneOffset.UTC);
        }
    }
}
