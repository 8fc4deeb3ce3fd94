package io.snaplake.pipeline.messaging;

import io.snaplake.events.PipelineFailure;
import io.snaplake.pipeline.SnapshotKeys;
import io.snaplake.pipeline.metrics.StageProgress;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.support.MessageBuilder;

/**
 * Sends a stage's {@link PipelineFailure} events to its failure binding, keyed like every event of the
 * snapshot, and counts them. A send the binder refuses throws, so the input is retried rather than acknowledged.
 *
 * @param binding the stage's failure output binding, e.g. {@code copyFailed-out-0}
 */
public record FailurePublisher(StreamBridge bridge, String binding, StageProgress progress) {

    public void publish(PipelineFailure failure) {
        String key = SnapshotKeys.recordKey(failure.getSnapshot());
        if (!bridge.send(binding, MessageBuilder.withPayload(failure).setHeader(KafkaHeaders.KEY, key).build())) {
            throw new IllegalStateException("could not publish the PipelineFailure " + failure.getReason() + " for "
                    + failure.getSnapshot().getSnapshotId() + " on " + binding);
        }
        progress.failed(failure);
    }
}
