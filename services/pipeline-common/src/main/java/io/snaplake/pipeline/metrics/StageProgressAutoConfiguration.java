package io.snaplake.pipeline.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.snaplake.pipeline.Stage;
import java.util.Arrays;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Gives every stage's service (its {@code spring.application.name} is a {@link Stage}'s service name) one
 * {@link StageProgress}, which its messaging adapter calls where it emits its success and failure events.
 */
@AutoConfiguration
@ConditionalOnClass(MeterRegistry.class)
public class StageProgressAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @Conditional(IsAStage.class)
    StageProgress stageProgress(ObjectProvider<MeterRegistry> meters, Environment environment) {
        return new StageProgress(meters.getIfAvailable(SimpleMeterRegistry::new), stageOf(environment).orElseThrow());
    }

    static Optional<Stage> stageOf(Environment environment) {
        String name = environment.getProperty("spring.application.name", "");
        return Arrays.stream(Stage.values()).filter(stage -> stage.serviceName().equals(name)).findFirst();
    }

    static final class IsAStage implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return stageOf(context.getEnvironment()).isPresent();
        }
    }
}
