package io.snaplake.exportscheduler.messaging;

import io.snaplake.events.ExportCompleted;
import io.snaplake.events.ExportStarted;
import io.snaplake.events.PipelineFailure;
import io.snaplake.events.SnapshotRef;
import io.snaplake.exportscheduler.domain.ExportEventPublisher;
import io.snaplake.pipeline.SnapshotKeys;
import io.snaplake.pipeline.messaging.FailurePublisher;
import io.snaplake.pipeline.metrics.StageProgress;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.support.MessageBuilder;

/**
 * Sends the scheduler's events through their output bindings (sync producers: a send returns once the broker
 * has the event), keyed by {@code <account>:<cluster>}; failures go through the stage's {@link FailurePublisher}.
 */
public final class StreamBridgeExportEventPublisher implements ExportEventPublisher {

    public static final String EXPORT_STARTED = "exportStarted-out-0";
    public static final String EXPORT_COMPLETED = "exportCompleted-out-0";
    public static final String EXPORT_FAILED = "exportFailed-out-0";

    private final StreamBridge bridge;
    private final StageProgress progress;
    private final FailurePublisher failures;

    public StreamBridgeExportEventPublisher(StreamBridge bridge, StageProgress progress) {
        this.bridge = bridge;
        this.progress = progress;
        this.failures = new FailurePublisher(bridge, EXPORT_FAILED, progress);
    }

    @Override
    public void exportStarted(ExportStarted event) {
        send(EXPORT_STARTED, event.getSnapshot(), event);
    }

    @Override
    public void exportCompleted(ExportCompleted event) {
        send(EXPORT_COMPLETED, event.getSnapshot(), event);
        progress.completed(event.getSnapshot());
    }

    @Override
    public void exportFailed(PipelineFailure event) {
        failures.publish(event);
    }

    private void send(String binding, SnapshotRef snapshot, SpecificRecord event) {
        String key = SnapshotKeys.recordKey(snapshot);
        if (!bridge.send(binding, MessageBuilder.withPayload(event).setHeader(KafkaHeaders.KEY, key).build())) {
            throw new IllegalStateException("binding " + binding + " did not accept the " + event.getSchema().getName()
                    + " of " + snapshot.getSnapshotId());
        }
    }
}
