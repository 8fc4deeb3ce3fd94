package io.snaplake.snapshotlistener.aws;

import io.snaplake.snapshotlistener.config.ListenerSettings;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** The URLs of the event queue and of its dead-letter queue, resolved once at start-up. */
public record QueueAddresses(String queueUrl, String deadLetterQueueUrl) {

    /**
     * Takes the configured URLs; looks the queue up by name when only the name is set, and the
     * dead-letter queue up in the queue's redrive policy when none is set.
     *
     * @throws IllegalStateException with what to configure, when a queue cannot be found
     */
    public static QueueAddresses resolve(SqsClient sqs, ListenerSettings.Queue settings, ObjectMapper json) {
        String queueUrl = present(settings.url()) ? settings.url() : urlOf(sqs, settings.name(), null,
                "snaplake.listener.queue.name (SNAPLAKE_LISTENER_QUEUE_NAME)");
        String deadLetterUrl = present(settings.deadLetterQueueUrl())
                ? settings.deadLetterQueueUrl()
                : deadLetterQueueOf(sqs, queueUrl, json);
        return new QueueAddresses(queueUrl, deadLetterUrl);
    }

    private static String deadLetterQueueOf(SqsClient sqs, String queueUrl, ObjectMapper json) {
        String policy = sqs.getQueueAttributes(request -> request
                        .queueUrl(queueUrl)
                        .attributeNames(QueueAttributeName.REDRIVE_POLICY))
                .attributes().get(QueueAttributeName.REDRIVE_POLICY);
        if (policy == null || policy.isBlank()) {
            throw new IllegalStateException("queue " + queueUrl + " has no redrive policy, so there is no dead-letter "
                    + "queue for messages the listener cannot understand: set snaplake.listener.queue.dead-letter-queue-url "
                    + "(SNAPLAKE_LISTENER_QUEUE_DEADLETTERQUEUEURL) or give the queue a redrive policy");
        }
        JsonNode target = json.readTree(policy).get("deadLetterTargetArn");
        // arn:aws:sqs:<region>:<account>:<name>
        String[] arn = target == null ? new String[0] : target.asString().split(":");
        if (arn.length != 6) {
            throw new IllegalStateException("queue " + queueUrl + " has a redrive policy without a dead-letter queue ARN: "
                    + policy);
        }
        return urlOf(sqs, arn[5], arn[4], "the dead-letter queue of " + queueUrl);
    }

    private static String urlOf(SqsClient sqs, String name, String ownerAccount, String what) {
        try {
            return sqs.getQueueUrl(request -> request.queueName(name).queueOwnerAWSAccountId(ownerAccount)).queueUrl();
        } catch (QueueDoesNotExistException missing) {
            throw new IllegalStateException("SQS queue '" + name + "' (" + what + ") does not exist", missing);
        }
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }
}
