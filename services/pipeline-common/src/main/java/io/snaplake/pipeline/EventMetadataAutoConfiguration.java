package io.snaplake.pipeline;

import java.time.Clock;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.env.Environment;

/**
 * Every stage's clock (UTC) and the factory of its events' metadata, naming the stage by its
 * {@code spring.application.name}; a service or a test that defines its own bean replaces the default.
 */
@AutoConfiguration
public class EventMetadataAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** Lazy: an application that emits no events (a test service, a tool) need not be named. */
    @Bean
    @Lazy
    @ConditionalOnMissingBean
    EventMetadataFactory eventMetadataFactory(Clock clock, Environment environment) {
        return new EventMetadataFactory(environment.getRequiredProperty("spring.application.name"), clock);
    }
}
