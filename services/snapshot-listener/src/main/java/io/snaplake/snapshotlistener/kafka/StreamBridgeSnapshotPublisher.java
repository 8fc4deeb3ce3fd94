package io.snaplake.snapshotlistener.kafka;

import io.snaplake.events.SnapshotCreated;
import io.snaplake.pipeline.SnapshotKeys;
import io.snaplake.snapshotlistener.domain.SnapshotPublisher;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.support.MessageBuilder;

/**
 * Sends SnapshotCreated through the {@value #BINDING} binding. That binding is configured with
 * {@code producer.sync: true}, so a send returns only once the broker acknowledged the record (acks=all)
 * and throws otherwise: the caller deletes its SQS message only after a successful return.
 */
public final class StreamBridgeSnapshotPublisher implements SnapshotPublisher {

    public static final String BINDING = "snapshotCreated-out-0";

    private final StreamBridge streamBridge;

    public StreamBridgeSnapshotPublisher(StreamBridge streamBridge) {
        this.streamBridge = streamBridge;
    }

    @Override
    public void publish(SnapshotCreated event) {
        boolean sent = streamBridge.send(BINDING, MessageBuilder.withPayload(event)
                .setHeader(KafkaHeaders.KEY, SnapshotKeys.recordKey(event.getSnapshot()))
                .build());
        if (!sent) {
            throw new IllegalStateException("SnapshotCreated " + event.getMetadata().getEventId() + " for "
                    + event.getSnapshot().getSnapshotArn() + " was not accepted by binding " + BINDING);
        }
    }
}
