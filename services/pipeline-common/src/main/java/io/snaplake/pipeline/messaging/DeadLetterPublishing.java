package io.snaplake.pipeline.messaging;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.cloud.stream.binder.kafka.ListenerContainerWithDlqAndRetryCustomizer;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer.SingleRecordHeader;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.kafka.support.serializer.DeserializationException;
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
 * {@code kafka_dlt-original-partition}, {@code kafka_dlt-original-offset}, {@code kafka_dlt-exception-message}, ...);
 * for an unreadable record the message carries the deserializer's reason, not only "failed to deserialize",
 * and for a record the handler refused, the innermost cause's type and message.
 * An unreadable record is forwarded as the bytes it was; a readable one with the project's Avro serializer.
 *
 * <p>Every service gets it from {@link DeadLetterPublishingAutoConfiguration}.
 */
public final class DeadLetterPublishing implements ListenerContainerWithDlqAndRetryCustomizer, AutoCloseable {

    private final Map<Class<?>, KafkaOperations<?, ?>> templates = new LinkedHashMap<>();
    private final List<DefaultKafkaProducerFactory<?, ?>> producers;

    /** @param producerConfig the binder's producer settings (brokers, key and Avro value serializers, registry) */
    public DeadLetterPublishing(Map<String, Object> producerConfig) {
        Map<String, Object> bytes = new HashMap<>(producerConfig);
        bytes.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        DefaultKafkaProducerFactory<Object, Object> unreadable = new DefaultKafkaProducerFactory<>(bytes);
        DefaultKafkaProducerFactory<Object, Object> readable = new DefaultKafkaProducerFactory<>(new HashMap<>(producerConfig));
        templates.put(byte[].class, new KafkaTemplate<>(unreadable));
        templates.put(Object.class, new KafkaTemplate<>(readable));
        producers = List.of(unreadable, readable);
    }

    @Override
    public void configure(AbstractMessageListenerContainer<?, ?> container, String destinationName, String group,
            BiFunction<ConsumerRecord<?, ?>, Exception, TopicPartition> dlqDestinationResolver, BackOff backOff) {
        if (dlqDestinationResolver == null) {
            return; // enable-dlq is off for this binding: leave the binder's defaults
        }
        DeadLetterPublishingRecoverer recoverer = new DeadLetterPublishingRecoverer(templates, dlqDestinationResolver);
        recoverer.addHeadersFunction(DeadLetterPublishing::deserializerReason);
        container.setCommonErrorHandler(new DefaultErrorHandler(recoverer, backOff));
    }

    /**
     * The ErrorHandlingDeserializer's exception says only "failed to deserialize", and the recoverer adds a
     * cause's message only for listener failures: replace the message header with one that says why.
     */
    private static Headers deserializerReason(ConsumerRecord<?, ?> record, Exception exception) {
        for (Throwable t = exception; t != null; t = t.getCause()) {
            if (t instanceof DeserializationException unreadable && unreadable.getCause() != null) {
                String message = unreadable.getMessage() + ": " + unreadable.getCause().getMessage();
                String header = unreadable.isKey() ? KafkaHeaders.DLT_KEY_EXCEPTION_MESSAGE : KafkaHeaders.DLT_EXCEPTION_MESSAGE;
                return new RecordHeaders().add(new SingleRecordHeader(header, message.getBytes(StandardCharsets.UTF_8)));
            }
        }
        // A handler's failure arrives wrapped ("Listener failed; error occurred in message handler [...]"):
        // the reason an operator needs is the innermost cause's message.
        Throwable cause = exception;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        if (cause != exception && cause.getMessage() != null) {
            String message = cause.getClass().getSimpleName() + ": " + cause.getMessage();
            return new RecordHeaders().add(new SingleRecordHeader(KafkaHeaders.DLT_EXCEPTION_MESSAGE,
                    message.getBytes(StandardCharsets.UTF_8)));
        }
        return null;
    }

    @Override
    public boolean retryAndDlqInBinding(String destinationName, String group) {
        return false;
    }

    /** Closes the dead-letter producers (created on the first dead letter) when the application stops. */
    @Override
    public void close() {
        producers.forEach(DefaultKafkaProducerFactory::destroy);
    }
}
