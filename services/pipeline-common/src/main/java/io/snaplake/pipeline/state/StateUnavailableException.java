package io.snaplake.pipeline.state;

import io.snaplake.pipeline.DependencyUnavailableException;

/**
 * A state topic could not be written or read now: the broker or the registry is away, or a record on it
 * cannot be read. An outage: whatever needed the state waits and tries again (a consumer's record is retried,
 * never dead-lettered), for as long as it lasts.
 */
public final class StateUnavailableException extends DependencyUnavailableException {

    public StateUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
