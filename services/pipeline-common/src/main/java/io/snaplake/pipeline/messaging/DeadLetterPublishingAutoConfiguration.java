package io.snaplake.pipeline.messaging;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cloud.stream.binder.kafka.KafkaMessageChannelBinder;
import org.springframework.cloud.stream.binder.kafka.ListenerContainerWithDlqAndRetryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Gives every service on the Kafka binder {@link DeadLetterPublishing}, so a binding's {@code enable-dlq}
 * also catches records its value deserializer cannot read. A service may replace it with its own
 * {@link ListenerContainerWithDlqAndRetryCustomizer}.
 */
@AutoConfiguration
@ConditionalOnClass(KafkaMessageChannelBinder.class)
public class DeadLetterPublishingAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(ListenerContainerWithDlqAndRetryCustomizer.class)
    DeadLetterPublishing deadLetterPublishing(Environment environment) {
        return new DeadLetterPublishing(BinderClientConfig.producer(environment));
    }
}
