package io.snaplake.snapshotlistener.domain;

import java.util.List;

/** The queue RDS events arrive on (an SQS queue that an EventBridge rule feeds). */
public interface EventQueue {

    /** Waits a little for messages; an empty list when none came. */
    List<QueuedMessage> receive();

    /** Acknowledges a message for good: it is not delivered again. */
    void delete(QueuedMessage message);

    /** Keeps the message, with the reason, where a person can look at it; returns once it is stored. */
    void deadLetter(QueuedMessage message, Rejection rejection);

    /**
     * @param id      the queue's id of the message
     * @param receipt what the queue needs to delete this delivery of it
     */
    record QueuedMessage(String id, String body, String receipt) {
    }
}
