package io.snaplake.exportscheduler;

import io.micrometer.core.instrument.MeterRegistry;
import io.snaplake.events.SnapshotCreated;
import io.snaplake.exportscheduler.aws.SdkRdsExports;
import io.snaplake.exportscheduler.domain.RdsExports;
import io.snaplake.exportscheduler.messaging.KafkaExportStateStore;
import io.snaplake.exportscheduler.messaging.StreamBridgeExportEventPublisher;
import io.snaplake.pipeline.AwsSettings;
import io.snaplake.pipeline.EventMetadataFactory;
import io.snaplake.pipeline.Stage;
import io.snaplake.pipeline.Topic;
import io.snaplake.pipeline.messaging.BinderClientConfig;
import io.snaplake.pipeline.messaging.PartitionOwnershipListener;
import io.snaplake.pipeline.metrics.StageProgress;
import java.time.Clock;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;
import software.amazon.awssdk.services.rds.RdsClient;

/** Wires the scheduler to Kafka (input, outputs, state topic) and to RDS. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ExportSchedulerProperties.class, ExportStateSettings.class, SchedulingPolicy.class, AwsSettings.class})
class ExportSchedulerConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean(destroyMethod = "close")
    RdsClient rdsClient(AwsSettings aws) {
        return aws.configure(RdsClient.builder()).build();
    }

    @Bean
    RdsExports rdsExports(RdsClient rds) {
        return new SdkRdsExports(rds);
    }

    @Bean(destroyMethod = "close")
    ExecutorSchedulerTimer schedulerTimer(Clock clock) {
        return new ExecutorSchedulerTimer(clock);
    }

    /**
     * Readiness: DOWN when a pass of the loop hangs (an AWS or Kafka call that does not return) or the loop
     * stopped. Passes are short (a few calls); ten minutes is far beyond any healthy one.
     */
    @Bean
    SchedulerLoopHealth schedulerLoop(ExecutorSchedulerTimer timer) {
        return new SchedulerLoopHealth(timer, java.time.Duration.ofMinutes(10));
    }

    /** The state topic's clients use the binder's own Kafka settings (brokers, Avro serde, registry). */
    @Bean(destroyMethod = "close")
    KafkaExportStateStore exportStateStore(Environment environment, ExportStateSettings settings) {
        Map<String, Object> producer = BinderClientConfig.producer(environment);
        Map<String, Object> consumer = BinderClientConfig.consumer(environment);
        // Unreadable state must stop the restore loudly, not turn into a null (the error-handling wrapper's way).
        Object delegate = consumer.remove("spring.deserializer.value.delegate.class");
        if (delegate != null) {
            consumer.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, delegate);
        }
        return new KafkaExportStateStore(Topic.EXPORT_SCHEDULER_STATE.topicName(), producer, consumer, settings.saveTimeout());
    }

    @Bean
    ExportScheduler exportScheduler(RdsExports rds, KafkaExportStateStore store, StreamBridge bridge,
            ExportSchedulerProperties properties, SchedulingPolicy policy, ExportStateSettings state, Clock clock,
            ExecutorSchedulerTimer timer, MeterRegistry meters, StageProgress progress) {
        ExportScheduler scheduler = new ExportScheduler(rds, store, new StreamBridgeExportEventPublisher(bridge, progress),
                new ExportEvents(new EventMetadataFactory(Stage.EXPORT_SCHEDULER.serviceName(), clock)),
                properties, policy, state.retention(), clock, timer, meters);
        scheduler.start();
        return scheduler;
    }

    /**
     * Ownership follows the input's partitions: assigned input partition p, this replica rebuilds the exports of
     * state partition p and drives them; p revoked, it lets them go. If the state cannot be read now, the
     * scheduler's loop reads it again until it can, and refuses p's requests meanwhile, so a request never meets
     * a half-built state and a partition is never owned without being driven.
     */
    @Bean
    PartitionOwnershipListener exportOwnershipListener(ExportScheduler scheduler) {
        return new PartitionOwnershipListener(Topic.SNAPSHOTS_CREATED.topicName(), scheduler::assigned, scheduler::release);
    }

    /** Records the request durably and returns: the export itself is driven by the scheduler's own thread. */
    @Bean
    Consumer<Message<SnapshotCreated>> scheduleExport(ExportScheduler scheduler) {
        return message -> scheduler.request(message.getPayload(),
                message.getHeaders().get(KafkaHeaders.RECEIVED_PARTITION, Integer.class));
    }
}
