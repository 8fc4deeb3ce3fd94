package io.snaplake.pipeline;

/**
 * An outage, not bad input: a dependency (AWS, the schema registry, the broker) is down, throttling,
 * timing out or refusing the service's credentials. The event that met it is fine: the consumer waits
 * the outage out (capped backoff, for as long as it lasts) and never dead-letters the event or reports
 * it failed because of it. Stages throw a subclass naming the dependency and what it answered.
 */
public class DependencyUnavailableException extends RuntimeException {

    public DependencyUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
