package io.snaplake.parquetcopier.messaging;

import io.snaplake.events.ExportCompleted;
import io.snaplake.events.ParquetCopied;
import io.snaplake.events.PipelineFailure;
import io.snaplake.parquetcopier.copy.ExportBucketAllowList;
import io.snaplake.parquetcopier.copy.ExportCopier;
import io.snaplake.parquetcopier.copy.ExportCopyReport;
import io.snaplake.parquetcopier.copy.ExportLocation;
import io.snaplake.pipeline.EventMetadataFactory;
import io.snaplake.pipeline.SnapshotKeys;
import io.snaplake.pipeline.metrics.StageProgress;
import java.util.Optional;
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
    Function<Message<ExportCompleted>, Message<ParquetCopied>> copyExport(ExportCopier copier,
            ExportBucketAllowList allowedBuckets, CopyEvents events, StreamBridge streamBridge, StageProgress progress) {
        return message -> {
            ExportCompleted input = message.getPayload();
            ExportLocation export = new ExportLocation(input.getBucket(), input.getPrefix(), input.getExportTaskId());
            allowedBuckets.check(export);
            ExportCopyReport report = copier.copy(export, input.getSnapshot().getClusterId(),
                    input.getSnapshot().getSnapshotDate());
            String key = SnapshotKeys.recordKey(input.getSnapshot());
            Optional<PipelineFailure> failure = events.failure(input, report);
            failure.ifPresent(event -> {
                if (!streamBridge.send(FAILURE_BINDING, MessageBuilder.withPayload(event).setHeader(KafkaHeaders.KEY, key).build())) {
                    throw new IllegalStateException("could not publish the PipelineFailure for export " + input.getExportTaskId());
                }
                progress.failed(event);
            });
            progress.completed(input.getSnapshot());
            return MessageBuilder.withPayload(events.parquetCopied(input, copier.lake(), report))
                    .setHeader(KafkaHeaders.KEY, key)
                    .build();
        };
    }
}
