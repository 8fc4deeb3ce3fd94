package io.snaplake.pipeline.messaging;

/**
 * Says whether one exception (of a failure's cause chain) is an outage: a dependency that cannot answer now
 * and will again (registry or broker down, AWS throttling, 5xx, timeouts, expired credentials). A consumer
 * waits an outage out, retrying the record with capped back-off for as long as it lasts, and never
 * dead-letters it. {@link FailureClassifier} has the project's rules; a service adds its own as beans
 * (for example, an exception of its domain that means "the export is not readable yet").
 */
@FunctionalInterface
public interface OutageRule {

    boolean isOutage(Throwable exception);
}
