package io.snaplake.parquetcopier.messaging;

import io.snaplake.events.ExportCompleted;
import io.snaplake.events.ParquetCopied;
import io.snaplake.parquetcopier.domain.ExportBucketAllowList;
import io.snaplake.parquetcopier.domain.ExportCopier;
import io.snaplake.parquetcopier.domain.ExportCopyReport;
import io.snaplake.parquetcopier.domain.ExportLocation;
import io.snaplake.pipeline.EventMetadataFactory;
import io.snaplake.pipeline.SnapshotKeys;
import io.snaplake.pipeline.messaging.FailurePublisher;
import io.snaplake.pipeline.metrics.StageProgress;
import java.util.function.Function;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

/**
 * The Kafka side: ExportCompleted in, ParquetCopied out (copyExport-out-0), and a PipelineFailure
 * (copyFailed-out-0) when a table could not be completed. Only maps events to and from the domain.
 */
@Configuration(proxyBeanMethods = false)
class CopyExportFunction {

    static final String FAILURE_BINDING = "copyFailed-out-0";

    @Bean
    CopyEvents copyEvents(EventMetadataFactory eventMetadataFactory) {
        return new CopyEvents(eventMetadataFactory);
    }

    @Bean
    FailurePublisher copyFailurePublisher(StreamBridge streamBridge, StageProgress progress) {
        return new FailurePublisher(streamBridge, FAILURE_BINDING, progress);
    }

    @Bean
    Function<Message<ExportCompleted>, Message<ParquetCopied>> copyExport(ExportCopier copier,
            ExportBucketAllowList allowedBuckets, CopyEvents events, FailurePublisher failures, StageProgress progress) {
        return message -> {
            ExportCompleted input = message.getPayload();
            ExportLocation export = new ExportLocation(input.getBucket(), input.getPrefix(), input.getExportTaskId());
            allowedBuckets.check(export);
            ExportCopyReport report = copier.copy(export, input.getSnapshot().getClusterId(),
                    input.getSnapshot().getSnapshotDate());
            events.failure(input, report).ifPresent(failures::publish);
            progress.completed(input.getSnapshot());
            return MessageBuilder.withPayload(events.parquetCopied(input, copier.lake(), report))
                    .setHeader(KafkaHeaders.KEY, SnapshotKeys.recordKey(input.getSnapshot()))
                    .build();
        };
    }
}
