package io.snaplake.snapshotlistener.aws;

import io.snaplake.snapshotlistener.domain.EventQueue;
import io.snaplake.snapshotlistener.domain.Rejection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * The SQS queue the EventBridge rule delivers RDS events to. A message that cannot be understood is
 * copied, body untouched, to the dead-letter queue with the reason in message attributes, so that the
 * dead-letter queue holds both kinds of undeliverable message (those redriven after repeated failures
 * and those rejected at once) and SQS's redrive can send them back once the cause is fixed.
 */
public final class SqsEventQueue implements EventQueue {

    /** Message attributes on a dead-lettered message. */
    public static final String REJECT_CODE = "RejectCode";
    public static final String REJECT_REASON = "RejectReason";
    public static final String REJECTED_BY = "RejectedBy";
    public static final String SOURCE_MESSAGE_ID = "SourceMessageId";

    // SQS returns at most 10 messages per call.
    private static final int MAX_MESSAGES = 10;

    private final SqsClient sqs;
    private final String queueUrl;
    private final String deadLetterQueueUrl;
    private final Duration waitTime;
    private final Duration visibilityTimeout;
    private final String serviceName;

    /** @param visibilityTimeout how long a received message stays hidden before the queue may deliver it again */
    public SqsEventQueue(SqsClient sqs, QueueAddresses addresses, Duration waitTime, Duration visibilityTimeout,
            String serviceName) {
        this.sqs = sqs;
        this.queueUrl = addresses.queueUrl();
        this.deadLetterQueueUrl = addresses.deadLetterQueueUrl();
        this.waitTime = waitTime;
        this.visibilityTimeout = visibilityTimeout;
        this.serviceName = serviceName;
    }

    @Override
    public List<QueuedMessage> receive() {
        return sqs.receiveMessage(request -> request
                        .queueUrl(queueUrl)
                        .maxNumberOfMessages(MAX_MESSAGES)
                        .visibilityTimeout((int) visibilityTimeout.toSeconds())
                        .waitTimeSeconds((int) waitTime.toSeconds()))
                .messages().stream()
                .map(message -> new QueuedMessage(message.messageId(), message.body(), message.receiptHandle()))
                .toList();
    }

    @Override
    public void keepHidden(List<QueuedMessage> messages, Duration visibility) {
        // ChangeMessageVisibilityBatch takes at most 10 entries, as many as one receive returns.
        for (int from = 0; from < messages.size(); from += MAX_MESSAGES) {
            List<QueuedMessage> batch = messages.subList(from, Math.min(messages.size(), from + MAX_MESSAGES));
            List<ChangeMessageVisibilityBatchRequestEntry> entries = new java.util.ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                entries.add(ChangeMessageVisibilityBatchRequestEntry.builder()
                        .id(Integer.toString(i))
                        .receiptHandle(batch.get(i).receipt())
                        .visibilityTimeout((int) visibility.toSeconds())
                        .build());
            }
            var response = sqs.changeMessageVisibilityBatch(request -> request.queueUrl(queueUrl).entries(entries));
            if (!response.failed().isEmpty()) {
                throw new IllegalStateException("SQS did not change the visibility of " + response.failed().size()
                        + " messages: " + response.failed().get(0).code() + ": " + response.failed().get(0).message());
            }
        }
    }

    @Override
    public void delete(QueuedMessage message) {
        sqs.deleteMessage(request -> request.queueUrl(queueUrl).receiptHandle(message.receipt()));
    }

    @Override
    public void deadLetter(QueuedMessage message, Rejection rejection) {
        sqs.sendMessage(request -> request
                .queueUrl(deadLetterQueueUrl)
                .messageBody(message.body())
                .messageAttributes(Map.of(
                        REJECT_CODE, text(rejection.code().name()),
                        REJECT_REASON, text(rejection.message()),
                        REJECTED_BY, text(serviceName),
                        SOURCE_MESSAGE_ID, text(message.id()))));
    }

    private static MessageAttributeValue text(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }
}
