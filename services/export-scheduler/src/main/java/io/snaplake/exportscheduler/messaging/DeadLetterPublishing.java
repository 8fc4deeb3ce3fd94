package io.snaplake.exportscheduler.messaging;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.cloud.stream.binder.kafka.ListenerContainerWithDlqAndRetryCustomizer;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.BackOff;

/**
 * Sends records a consumer cannot handle to the binding's dead-letter topic ({@code dlq-name}), including
 * records the value deserializer cannot read.
 *
 * <p>Why not the binder's own DLQ: with the ErrorHandlingDeserializer that snaplake-defaults.yml sets,
 * the listener container itself raises the DeserializationException, before the binder's retry and
 * dead-letter path (which sits in the message-driven adapter) ever sees the record; the container's
 * default error handler then logs it and skips it. Moving retry and dead-lettering into the container's
 * error handler covers both kinds of failure. Retries follow the binding's {@code max-attempts} and
 * back-off; a DeserializationException is not retried (the bytes will not change). Headers name the
 * original topic, partition and offset and the exception ({@code kafka_dlt-original-topic},
 * {@code kafka_dlt-original-partition}, {@code kafka_dlt-original-offset}, {@code kafka_dlt-exception-message}, ...).
 * An unreadable record is forwarded as the bytes it was; a readable one with the project's Avro serializer.
 */
public final class DeadLetterPublishing implements ListenerContainerWithDlqAndRetryCustomizer {

    private final Map<Class<?>, KafkaOperations<?, ?>> templates = new LinkedHashMap<>();

    /** @param producerConfig the binder's producer settings (brokers, key and Avro value serializers, registry) */
    public DeadLetterPublishing(Map<String, Object> producerConfig) {
        Map<String, Object> bytes = new HashMap<>(producerConfig);
        bytes.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        templates.put(byte[].class, new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(bytes)));
        templates.put(Object.class, new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(new HashMap<>(producerConfig))));
    }

    @Override
    public void configure(AbstractMessageListenerContainer<?, ?> container, String destinationName, String group,
            BiFunction<ConsumerRecord<?, ?>, Exception, TopicPartition> dlqDestinationResolver, BackOff backOff) {
        if (dlqDestinationResolver == null) {
            return; // enable-dlq is off for this binding: leave the binder's defaults
        }
        DeadLetterPublishingRecoverer recoverer = new DeadLetterPublishingRecoverer(templates, dlqDestinationResolver);
        container.setCommonErrorHandler(new DefaultErrorHandler(recoverer, backOff));
    }

    @Override
    public boolean retryAndDlqInBinding(String destinationName, String group) {
        return false;
    }
}
