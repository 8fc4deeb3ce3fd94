package io.snaplake.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * Base of every error this serde raises. It is a Kafka {@link SerializationException}, so the producer
 * fails the send and, on the consumer side, Spring's ErrorHandlingDeserializer turns it into a
 * DeserializationException that the binder routes to the dead-letter topic.
 */
public class AvroSerdeException extends SerializationException {

    public AvroSerdeException(String message) {
        super(message);
    }

    public AvroSerdeException(String message, Throwable cause) {
        super(message, cause);
    }
}
