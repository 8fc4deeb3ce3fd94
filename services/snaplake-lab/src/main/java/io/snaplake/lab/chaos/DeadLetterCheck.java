package io.snaplake.lab.chaos;

import static io.snaplake.lab.chaos.Findings.abbreviate;

import io.snaplake.lab.chaos.HostileInputs.Hostile;
import io.snaplake.lab.chaos.HostileInputs.Place;
import io.snaplake.lab.chaos.TopicReader.Read;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * Each hostile input in its dead-letter place with a reason: the SQS dead-letter queue (with the RejectCode
 * and RejectReason attributes) or its consumer's dead-letter topic (with Spring Kafka's exception message).
 * Nothing else may be dead-lettered: an outage (throttling, 5xx, a restart) is waited out, never dead-lettered.
 */
final class DeadLetterCheck {

    private final HostileInputs hostile;
    private final List<Read> deadLetters;
    private final List<Message> sqsDeadLetters;

    DeadLetterCheck(HostileInputs hostile, List<Read> deadLetters, List<Message> sqsDeadLetters) {
        this.hostile = hostile;
        this.deadLetters = deadLetters;
        this.sqsDeadLetters = sqsDeadLetters;
    }

    /** Every message in the queue, each once (kept invisible while the queue is read). */
    static List<Message> drain(SqsClient sqs, String queueUrl) {
        List<Message> messages = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int empty = 0; empty < 2; ) {
            List<Message> batch = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10)
                    .visibilityTimeout(600).waitTimeSeconds(1).messageAttributeNames("All")).messages();
            if (batch.isEmpty()) {
                empty++;
            }
            batch.stream().filter(m -> ids.add(m.messageId())).forEach(messages::add);
        }
        return messages;
    }

    /** Returns how many hostile inputs were found dead-lettered with a reason. */
    int check(Findings findings) {
        int found = 0;
        findings.print("  hostile inputs:");
        for (Hostile input : hostile.injected()) {
            String reason = input.place() == Place.SQS_DLQ ? sqsReason(input) : topicReason(input);
            if (reason == null) {
                findings.problem("hostile input not dead-lettered with a reason: " + input.description() + " (expected in "
                        + (input.place() == Place.SQS_DLQ ? "the SQS dead-letter queue" : input.deadLetterTopic()) + ")");
                findings.print("    MISSING  %s", input.description());
            } else {
                found++;
                findings.print("    ok       %-70s %s", input.description(), abbreviate(reason, 110));
            }
        }
        for (Read record : deadLetters) {
            if (!isHostile(record.valueText())) {
                findings.problem("a legitimate record was dead-lettered on " + record.topic() + ": "
                        + abbreviate(record.headers().getOrDefault("kafka_dlt-exception-message", "(no reason)"), 200));
            }
        }
        for (Message message : sqsDeadLetters) {
            if (!isHostile(message.body())) {
                MessageAttributeValue code = message.messageAttributes().get("RejectCode");
                findings.problem("a legitimate message was dead-lettered on SQS (" + (code == null ? "redriven by SQS, no reason"
                        : code.stringValue()) + "): " + abbreviate(message.body(), 160));
            }
        }
        findings.print("  dead letters: %d on the topics, %d in the SQS dead-letter queue", deadLetters.size(), sqsDeadLetters.size());
        for (String ignored : hostile.ignoredByDesign()) {
            findings.print("    ignored  an automated snapshot of a cluster not configured (%s): acknowledged, not announced", ignored);
        }
        return found;
    }

    private String sqsReason(Hostile input) {
        for (Message message : sqsDeadLetters) {
            MessageAttributeValue code = message.messageAttributes().get("RejectCode");
            MessageAttributeValue why = message.messageAttributes().get("RejectReason");
            if (message.body().contains(input.marker()) && code != null && why != null) {
                return code.stringValue() + ": " + why.stringValue();
            }
        }
        return null;
    }

    private String topicReason(Hostile input) {
        for (Read record : deadLetters) {
            String message = record.headers().get("kafka_dlt-exception-message");
            if (record.topic().equals(input.deadLetterTopic()) && record.valueText().contains(input.marker())
                    && message != null && !message.isBlank()) {
                return message;
            }
        }
        return null;
    }

    private boolean isHostile(String content) {
        return hostile.injected().stream().anyMatch(input -> content.contains(input.marker()));
    }
}
