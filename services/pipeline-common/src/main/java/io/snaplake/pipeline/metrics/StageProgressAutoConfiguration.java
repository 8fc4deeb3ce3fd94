package io.snaplake.pipeline.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.snaplake.pipeline.Stage;
import java.util.Arrays;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.env.Environment;

/**
 * Gives every stage's service (its {@code spring.application.name} is a {@link Stage}'s service name) one
 * {@link StageProgress}, which its messaging adapter calls where it emits its success and failure events.
 * Created when first injected: an application that is no stage (a test service, the CLI) never needs it,
 * and a stage started under another name fails at start saying so.
 */
@AutoConfiguration
@ConditionalOnClass(MeterRegistry.class)
public class StageProgressAutoConfiguration {

    @Bean
    @Lazy
    @ConditionalOnMissingBean
    StageProgress stageProgress(ObjectProvider<MeterRegistry> meters, Environment environment) {
        String name = environment.getProperty("spring.application.name", "");
        Stage stage = Arrays.stream(Stage.values()).filter(s -> s.serviceName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("spring.application.name is '" + name + "', which names no "
                        + "snaplake stage (" + Arrays.stream(Stage.values()).map(Stage::serviceName).toList() + "): the stage "
                        + "tags its freshness metrics and the alert rules select them by it. Keep the service's own name."));
        return new StageProgress(meters.getIfAvailable(SimpleMeterRegistry::new), stage);
    }
}
