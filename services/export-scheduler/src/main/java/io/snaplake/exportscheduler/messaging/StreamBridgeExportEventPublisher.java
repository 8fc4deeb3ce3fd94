package io.snaplake.exportscheduler.messaging;

import io.snaplake.events.ExportCompleted;
import io.snaplake.events.ExportStarted;
import io.snaplake.events.PipelineFailure;
import io.snaplake.exportscheduler.domain.ExportEventPublisher;
import io.snaplake.pipeline.SnapshotKeys;
import io.snaplake.pipeline.metrics.StageProgress;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.support.MessageBuilder;

/**
 * Sends the scheduler's events through their output bindings (sync producers: a send returns once
 * the broker has the event), keyed by {@code <account>:<cluster>}.
 */
public final class StreamBridgeExportEventPublisher implements ExportEventPublisher {

    public static final String EXPORT_STARTED = "exportStarted-out-0";
    public static final String EXPORT_COMPLETED = "exportCompleted-out-0";
    public static final String EXPORT_FAILED = "exportFailed-out-0";

    private final StreamBridge bridge;
    private final StageProgress progress;

    public StreamBridgeExportEventPublisher(StreamBridge bridge, StageProgress progress) {
        this.bridge = bridge;
        this.progress = progress;
    }

    @Override
    public void exportStarted(ExportStarted event) {
        send(EXPORT_STARTED, SnapshotKeys.recordKey(event.getSnapshot()), event);
    }

    @Override
    public void exportCompleted(ExportCompleted event) {
        send(EXPORT_COMPLETED, SnapshotKeys.recordKey(event.getSnapshot()), event);
        progress.completed(event.getSnapshot());
    }

    @Override
    public void exportFailed(PipelineFailure event) {
        send(EXPORT_FAILED, SnapshotKeys.recordKey(event.getSnapshot()), event);
        progress.failed(event);
    }

    private void send(String binding, String key, SpecificRecord event) {
        boolean sent = bridge.send(binding, MessageBuilder.withPayload(event).setHeader(KafkaHeaders.KEY, key).build());
        if (!sent) {
            throw new IllegalStateException("binding " + binding + " did not accept " + event.getSchema().getName());
        }
    }
}
