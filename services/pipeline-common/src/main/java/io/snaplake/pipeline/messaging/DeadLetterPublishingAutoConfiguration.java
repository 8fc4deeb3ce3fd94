package io.snaplake.pipeline.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.snaplake.pipeline.health.WorkLoop;
import io.snaplake.pipeline.health.WorkReadinessIndicator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.cloud.stream.binder.kafka.KafkaMessageChannelBinder;
import org.springframework.cloud.stream.binder.kafka.ListenerContainerWithDlqAndRetryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Gives every service on the Kafka binder {@link DeadLetterPublishing}: the outage-versus-poison rule in every
 * consumer binding, and a binding's {@code enable-dlq} also catching records its value deserializer cannot
 * read. A service adds outage rules of its own as {@link OutageRule} beans. With Spring Boot's health on the
 * classpath, the {@code work} readiness indicator watches the consumers and every {@link WorkLoop} bean. A
 * service may replace the customizer with its own {@link ListenerContainerWithDlqAndRetryCustomizer}.
 */
@AutoConfiguration
@ConditionalOnClass(KafkaMessageChannelBinder.class)
@EnableConfigurationProperties(OutageRetry.class)
public class DeadLetterPublishingAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ConsumerContainers consumerContainers() {
        return new ConsumerContainers();
    }

    @Bean
    @ConditionalOnMissingBean(ListenerContainerWithDlqAndRetryCustomizer.class)
    DeadLetterPublishing deadLetterPublishing(Environment environment, ObjectProvider<OutageRule> outageRules,
            OutageRetry outageRetry, ConsumerContainers containers, ObjectProvider<MeterRegistry> meters) {
        return new DeadLetterPublishing(BinderClientConfig.producer(environment), outageRules.orderedStream().toList(),
                outageRetry, containers, meters.getIfAvailable(SimpleMeterRegistry::new));
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    static class WorkReadiness {

        /** Bean name {@code work}: the readiness group includes it by that name. */
        @Bean
        @ConditionalOnMissingBean(name = "workHealthIndicator")
        HealthIndicator workHealthIndicator(ConsumerContainers containers, ObjectProvider<WorkLoop> workLoops) {
            return () -> new WorkReadinessIndicator(containers, workLoops.orderedStream().toList()).health();
        }
    }
}
