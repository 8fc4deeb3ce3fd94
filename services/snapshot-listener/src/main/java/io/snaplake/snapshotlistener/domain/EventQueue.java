package io.snaplake.snapshotlistener.domain;

import java.time.Duration;
import java.util.List;

/** The queue RDS events arrive on (an SQS queue that an EventBridge rule feeds). */
public interface EventQueue {

    /** Waits a little for messages; an empty list when none came. */
    List<QueuedMessage> receive();

    /**
     * Keeps these received messages hidden from other receivers for {@code visibility} from now: called
     * while their handling waits out an outage, so the queue neither delivers them again nor counts a
     * receive towards its dead-letter redrive. {@link Duration#ZERO} hands them back at once.
     */
    void keepHidden(List<QueuedMessage> messages, Duration visibility);

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
