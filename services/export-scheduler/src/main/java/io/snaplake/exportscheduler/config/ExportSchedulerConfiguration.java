package io.snaplake.exportscheduler.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.snaplake.exportscheduler.aws.SdkRdsExports;
import io.snaplake.exportscheduler.domain.ExecutorSchedulerTimer;
import io.snaplake.exportscheduler.domain.ExportEvents;
import io.snaplake.exportscheduler.domain.ExportScheduler;
import io.snaplake.exportscheduler.domain.RdsExports;
import io.snaplake.exportscheduler.messaging.KafkaExportStateStore;
import io.snaplake.exportscheduler.messaging.ScheduleExportConsumer;
import io.snaplake.exportscheduler.messaging.StreamBridgeExportEventPublisher;
import io.snaplake.pipeline.AwsSettings;
import io.snaplake.pipeline.EventMetadataFactory;
import io.snaplake.pipeline.Topic;
import io.snaplake.pipeline.messaging.BinderClientConfig;
import io.snaplake.pipeline.messaging.PartitionOwnershipListener;
import io.snaplake.pipeline.metrics.StageProgress;
import java.time.Clock;
import java.time.Duration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** Wires the scheduler to Kafka (input, outputs, state topic), to RDS, and to Prometheus. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ExportSchedulerProperties.class, ExportStateProperties.class, SchedulingProperties.class,
        AwsSettings.class})
class ExportSchedulerConfiguration {

    @Bean(destroyMethod = "close")
    SdkRdsExports rdsExports(AwsSettings aws) {
        return SdkRdsExports.connect(aws);
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
        return new SchedulerLoopHealth(timer, Duration.ofMinutes(10));
    }

    /** The state topic's clients use the binder's own Kafka settings (brokers, Avro serde, registry). */
    @Bean(destroyMethod = "close")
    KafkaExportStateStore exportStateStore(Environment environment, ExportStateProperties state) {
        return new KafkaExportStateStore(Topic.EXPORT_SCHEDULER_STATE.topicName(), BinderClientConfig.producer(environment),
                BinderClientConfig.consumer(environment), state.saveTimeout());
    }

    @Bean
    ExportScheduler exportScheduler(RdsExports rds, KafkaExportStateStore store, StreamBridge bridge,
            ExportSchedulerProperties properties, SchedulingProperties scheduling, ExportStateProperties state, Clock clock,
            EventMetadataFactory metadata, ExecutorSchedulerTimer timer, MeterRegistry meters, StageProgress progress) {
        ExportScheduler scheduler = new ExportScheduler(rds, store, new StreamBridgeExportEventPublisher(bridge, progress),
                new ExportEvents(metadata),
                properties.settings(state.retention()), properties.exports(), scheduling.policy(), clock, timer,
                new MicrometerExportMetrics(meters));
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

    /** The input binding's function (spring.cloud.function.definition: scheduleExport). */
    @Bean
    ScheduleExportConsumer scheduleExport(ExportScheduler scheduler) {
        return new ScheduleExportConsumer(scheduler);
    }
}
