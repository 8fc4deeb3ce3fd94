package io.snaplake.snapshotlistener.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.snaplake.pipeline.AwsSettings;
import io.snaplake.pipeline.EventMetadataFactory;
import io.snaplake.pipeline.Stage;
import io.snaplake.pipeline.Topic;
import io.snaplake.pipeline.messaging.BinderClientConfig;
import io.snaplake.pipeline.metrics.StageProgress;
import io.snaplake.snapshotlistener.aws.QueueAddresses;
import io.snaplake.snapshotlistener.aws.SdkSnapshotCatalog;
import io.snaplake.snapshotlistener.aws.SqsEventQueue;
import io.snaplake.snapshotlistener.domain.ConfiguredSources;
import io.snaplake.snapshotlistener.domain.EmittedSnapshots;
import io.snaplake.snapshotlistener.domain.EventQueue;
import io.snaplake.snapshotlistener.domain.ListenerMetrics;
import io.snaplake.snapshotlistener.domain.ManualSnapshotRequests;
import io.snaplake.snapshotlistener.domain.RdsEventParser;
import io.snaplake.snapshotlistener.domain.ReconciliationSweep;
import io.snaplake.snapshotlistener.domain.SnapshotCatalog;
import io.snaplake.snapshotlistener.domain.SnapshotEmitter;
import io.snaplake.snapshotlistener.domain.SnapshotEventProcessor;
import io.snaplake.snapshotlistener.domain.SnapshotPublisher;
import io.snaplake.snapshotlistener.messaging.FencedSnapshotPublisher;
import io.snaplake.snapshotlistener.messaging.QueuePoller;
import io.snaplake.snapshotlistener.messaging.SnapshotHistoryReader;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import tools.jackson.databind.json.JsonMapper;

/** The listener's beans: the domain objects, their AWS and Kafka adapters, and what runs them. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ListenerSettings.class, AwsSettings.class, KafkaBinderConnection.class})
public class ListenerConfiguration {

    private static final String SERVICE = Stage.SNAPSHOT_LISTENER.serviceName();

    @Bean
    MicrometerListenerMetrics listenerMetrics(MeterRegistry registry) {
        return new MicrometerListenerMetrics(registry);
    }

    @Bean
    ConfiguredSources configuredSources(ListenerSettings settings) {
        return settings.sources().toDomain();
    }

    @Bean
    EmittedSnapshots emittedSnapshots() {
        return new EmittedSnapshots();
    }

    @Bean(destroyMethod = "close")
    SqsClient sqsClient(AwsSettings aws) {
        return aws.configure(SqsClient.builder()).build();
    }

    @Bean(destroyMethod = "close")
    RdsClient rdsClient(AwsSettings aws) {
        return aws.configure(RdsClient.builder()).build();
    }

    @Bean
    QueueAddresses queueAddresses(SqsClient sqs, ListenerSettings settings, JsonMapper json) {
        return QueueAddresses.resolve(sqs, settings.queue(), json);
    }

    @Bean
    EventQueue eventQueue(SqsClient sqs, QueueAddresses addresses, ListenerSettings settings) {
        return new SqsEventQueue(sqs, addresses, settings.queue().waitTime(), settings.queue().visibilityTimeout(), SERVICE);
    }

    @Bean
    SnapshotCatalog snapshotCatalog(RdsClient rds) {
        return new SdkSnapshotCatalog(rds);
    }

    /**
     * The SnapshotCreated producer follows the {@value FencedSnapshotPublisher#BINDING} binding's destination
     * and producer configuration, but is a transactional producer of its own (see FencedSnapshotPublisher).
     */
    @Bean(destroyMethod = "close")
    FencedSnapshotPublisher snapshotPublisher(ConfigurableEnvironment environment, StageProgress progress) {
        String topic = environment.getProperty("spring.cloud.stream.bindings." + FencedSnapshotPublisher.BINDING + ".destination",
                Topic.SNAPSHOTS_CREATED.topicName());
        Map<String, Object> producer = BinderClientConfig.producer(environment);
        producer.putAll(bindingProducerConfiguration(environment));
        return new FencedSnapshotPublisher(topic, producer, BinderClientConfig.consumer(environment), progress);
    }

    /**
     * The {@value FencedSnapshotPublisher#BINDING} binding's {@code producer.configuration}, read property by property:
     * the binding's name is not in canonical form (capitals), so Spring's Binder cannot bind under it.
     */
    private static Map<String, Object> bindingProducerConfiguration(ConfigurableEnvironment environment) {
        String prefix = "spring.cloud.stream.kafka.bindings." + FencedSnapshotPublisher.BINDING + ".producer.configuration.";
        Map<String, Object> configuration = new HashMap<>();
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (source instanceof EnumerablePropertySource<?> enumerable) {
                for (String name : enumerable.getPropertyNames()) {
                    if (name.startsWith(prefix)) {
                        // Sources come in precedence order: the first value of a name is the one in force.
                        configuration.putIfAbsent(name.substring(prefix.length()), environment.getProperty(name));
                    }
                }
            }
        }
        return configuration;
    }

    @Bean
    SnapshotEmitter snapshotEmitter(EmittedSnapshots emitted, SnapshotPublisher publisher,
            EventMetadataFactory metadata, ListenerMetrics metrics) {
        return new SnapshotEmitter(emitted, publisher, metadata, metrics);
    }

    @Bean
    SnapshotEventProcessor snapshotEventProcessor(EventQueue queue, JsonMapper json, ConfiguredSources sources,
            SnapshotCatalog catalog, SnapshotEmitter emitter, ListenerMetrics metrics) {
        return new SnapshotEventProcessor(queue, new RdsEventParser(json), sources, catalog, emitter, metrics);
    }

    @Bean
    ReconciliationSweep reconciliationSweep(SnapshotCatalog catalog, ConfiguredSources sources, SnapshotEmitter emitter,
            ListenerMetrics metrics, ListenerSettings settings, Clock clock) {
        return new ReconciliationSweep(catalog, sources, emitter, metrics, settings.sweep().lookback(), clock);
    }

    @Bean
    ManualSnapshotRequests manualSnapshotRequests(SnapshotCatalog catalog, ConfiguredSources sources,
            SnapshotEmitter emitter) {
        return new ManualSnapshotRequests(catalog, sources, emitter);
    }

    @Bean
    SnapshotHistoryReader snapshotHistoryReader(KafkaBinderConnection kafka, EmittedSnapshots emitted,
            ListenerMetrics metrics, ListenerSettings settings) {
        return new SnapshotHistoryReader(Topic.SNAPSHOTS_CREATED.topicName(), kafka.consumerConfig(), emitted, metrics,
                settings.historyLoadTimeout());
    }

    /** Readiness: DOWN while the listener does not follow the SnapshotCreated topic (see application.yml). */
    @Bean
    SnapshotHistoryHealth snapshotHistory(SnapshotHistoryReader reader, EmittedSnapshots emitted) {
        return new SnapshotHistoryHealth(reader, emitted);
    }

    @Bean
    QueuePoller queuePoller(EventQueue queue, SnapshotEventProcessor processor, ListenerMetrics metrics,
            ListenerSettings settings) {
        ListenerSettings.Queue queueSettings = settings.queue();
        return new QueuePoller(queue, processor, metrics, queueSettings.visibilityTimeout(),
                queueSettings.retryInitialBackoff(), queueSettings.retryMaxBackoff());
    }

    @Bean
    @ConditionalOnBooleanProperty(name = "snaplake.listener.sweep.enabled", matchIfMissing = true)
    SweepScheduler sweepScheduler(ReconciliationSweep sweep, ListenerSettings settings) {
        return new SweepScheduler(sweep, settings.sweep().initialDelay(), settings.sweep().interval());
    }
}
