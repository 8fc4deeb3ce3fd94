package io.snaplake.pipeline.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
import org.jspecify.annotations.Nullable;
import org.springframework.cloud.stream.binder.ExtendedConsumerProperties;
import org.springframework.cloud.stream.binder.kafka.ListenerContainerWithDlqAndRetryCustomizer;
import org.springframework.cloud.stream.binder.kafka.properties.KafkaConsumerProperties;
import org.springframework.core.log.LogAccessor;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer.SingleRecordHeader;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.FixedBackOff;

/**
 * Installs the outage-versus-poison rule in every consumer binding's container ({@link ClassifyingErrorHandler},
 * {@link FailureClassifier}), and sends records a consumer can never handle to the binding's dead-letter
 * topic ({@code dlq-name}), including records the value deserializer cannot read. An outage (registry or
 * broker down, AWS throttling, 5xx, timeouts, expired credentials) is never dead-lettered: the record is
 * retried with capped back-off ({@link OutageRetry}) for as long as the outage lasts.
 *
 * <p>Why not the binder's own DLQ: with the ErrorHandlingDeserializer that snaplake-defaults.yml sets,
 * the listener container itself raises the DeserializationException, before the binder's retry and
 * dead-letter path (which sits in the message-driven adapter) ever sees the record; the container's
 * default error handler then logs it and skips it. Moving retry and dead-lettering into the container's
 * error handler covers both kinds of failure. Retries of a failure that is neither follow the binding's
 * {@code max-attempts} and back-off; a DeserializationException that is not an outage is not retried (the
 * bytes will not change). Headers name the
 * original topic, partition and offset and the exception ({@code kafka_dlt-original-topic},
 * {@code kafka_dlt-original-partition}, {@code kafka_dlt-original-offset}, {@code kafka_dlt-exception-message}, ...);
 * for an unreadable record the message carries the deserializer's reason, not only "failed to deserialize".
 * An unreadable record is forwarded as the bytes it was; a readable one with the project's Avro serializer.
 *
 * <p>Every service gets it from {@link DeadLetterPublishingAutoConfiguration}.
 */
public final class DeadLetterPublishing implements ListenerContainerWithDlqAndRetryCustomizer, AutoCloseable {

    private static final LogAccessor log = new LogAccessor(DeadLetterPublishing.class);
    /** How long a container stopped by a broker refusing its credentials waits before it tries again. */
    private static final Duration AUTH_FAILURE_RETRY = Duration.ofSeconds(10);
    /** Counter of dead letters published, tagged with the dead-letter topic and the group that gave up. */
    public static final String DEAD_LETTERS = "snaplake.dead.letters";

    private final Map<Class<?>, KafkaOperations<?, ?>> templates = new LinkedHashMap<>();
    private final List<DefaultKafkaProducerFactory<?, ?>> producers;
    private final List<OutageRule> serviceOutageRules;
    private final OutageRetry outageRetry;
    private final ConsumerContainers containers;
    private final MeterRegistry meters;

    /** With the project's outage rules and outage back-off, containers not watched by a health indicator. */
    public DeadLetterPublishing(Map<String, Object> producerConfig) {
        this(producerConfig, List.of(), OutageRetry.defaults(), new ConsumerContainers());
    }

    /** Dead letters counted in a registry of its own (nobody scrapes it): for callers without Micrometer's. */
    public DeadLetterPublishing(Map<String, Object> producerConfig, List<OutageRule> serviceOutageRules,
            OutageRetry outageRetry, ConsumerContainers containers) {
        this(producerConfig, serviceOutageRules, outageRetry, containers, new SimpleMeterRegistry());
    }

    /**
     * @param producerConfig     the binder's producer settings (brokers, key and Avro value serializers, registry)
     * @param serviceOutageRules the service's own outage rules, beside {@link FailureClassifier#PROJECT_RULES}
     * @param outageRetry        how outages are waited out
     * @param containers         where each consumer binding's container is recorded (for readiness)
     * @param meters             where each dead letter published is counted, per dead-letter topic
     *                           ({@value #DEAD_LETTERS}, Prometheus {@code snaplake_dead_letters_total{topic}})
     */
    public DeadLetterPublishing(Map<String, Object> producerConfig, List<OutageRule> serviceOutageRules,
            OutageRetry outageRetry, ConsumerContainers containers, MeterRegistry meters) {
        this.meters = meters;
        this.serviceOutageRules = List.copyOf(serviceOutageRules);
        this.outageRetry = outageRetry;
        this.containers = containers;
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
            @Nullable BiFunction<ConsumerRecord<?, ?>, Exception, TopicPartition> dlqDestinationResolver,
            @Nullable BackOff backOff) {
        configure(container, destinationName, group, dlqDestinationResolver, backOff, null);
    }

    /**
     * Every consumer binding gets the {@link ClassifyingErrorHandler}: outages waited out, poison recovered at
     * once, other failures after the binding's {@code max-attempts}. Recovered means sent to the binding's
     * dead-letter topic with {@code enable-dlq}; without one, logged and skipped (there is nowhere to keep it).
     */
    @Override
    public void configure(AbstractMessageListenerContainer<?, ?> container, String destinationName, String group,
            @Nullable BiFunction<ConsumerRecord<?, ?>, Exception, TopicPartition> dlqDestinationResolver,
            @Nullable BackOff backOff, @Nullable ExtendedConsumerProperties<KafkaConsumerProperties> properties) {
        FailureClassifier classifier = new FailureClassifier(serviceOutageRules,
                properties == null ? Map.of() : properties.getRetryableExceptions());
        ConsumerRecordRecoverer recoverer;
        if (dlqDestinationResolver != null) {
            DeadLetterPublishingRecoverer deadLetters = new DeadLetterPublishingRecoverer(templates, dlqDestinationResolver);
            deadLetters.addHeadersFunction(DeadLetterPublishing::reason);
            // Counted once the broker has the dead letter: accept() throws when the send fails.
            recoverer = (record, exception) -> {
                deadLetters.accept(record, exception);
                Counter.builder(DEAD_LETTERS).description("Records published to a dead-letter topic")
                        .tag("topic", dlqDestinationResolver.apply(record, exception).topic()).tag("group", group)
                        .register(meters).increment();
            };
        } else {
            recoverer = (record, exception) -> log.error(exception, () -> "Skipping " + record.topic() + "-"
                    + record.partition() + "@" + record.offset() + " of group " + group
                    + ": it failed and the binding has no dead-letter topic (enable-dlq)");
        }
        container.setCommonErrorHandler(new ClassifyingErrorHandler(recoverer,
                backOff == null ? new FixedBackOff(0L, 0L) : backOff, classifier, outageRetry));
        // A broker refusing credentials (expired, being rotated) would otherwise stop the container for good.
        container.getContainerProperties().setAuthExceptionRetryInterval(AUTH_FAILURE_RETRY);
        containers.add(destinationName, group, container);
    }

    /**
     * The ErrorHandlingDeserializer's exception says only "failed to deserialize", and a handler's failure
     * reaches the recoverer as "Listener failed; error occurred in message handler [...]": replace the message
     * header with one that says why (the deserializer's reason, or the handler's root cause).
     */
    private static Headers reason(ConsumerRecord<?, ?> record, Exception exception) {
        for (Throwable t = exception; t != null; t = t.getCause()) {
            if (t instanceof DeserializationException unreadable && unreadable.getCause() != null) {
                String message = unreadable.getMessage() + ": " + unreadable.getCause().getMessage();
                String header = unreadable.isKey() ? KafkaHeaders.DLT_KEY_EXCEPTION_MESSAGE : KafkaHeaders.DLT_EXCEPTION_MESSAGE;
                return new RecordHeaders().add(new SingleRecordHeader(header, message.getBytes(StandardCharsets.UTF_8)));
            }
        }
        Throwable root = exception;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root == exception) {
            return null;
        }
        String message = exception.getMessage() + ": " + root.getClass().getName() + ": " + root.getMessage();
        return new RecordHeaders().add(new SingleRecordHeader(KafkaHeaders.DLT_EXCEPTION_MESSAGE,
                message.getBytes(StandardCharsets.UTF_8)));
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
