package io.snaplake.pipeline.messaging;

import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;
import org.springframework.core.log.LogAccessor;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.RetryListener;
import org.springframework.kafka.support.ExceptionMatcher;
import org.springframework.util.backoff.BackOff;

/**
 * The container's error handler with the outage-versus-poison rule ({@link FailureClassifier}): an outage
 * seeks the record back and retries it with {@link OutageRetry}'s capped back-off, without end (the
 * partition waits, nothing is skipped); poison goes to the recoverer (the dead-letter topic) at once; any
 * other failure is retried with the binding's back-off ({@code max-attempts}), then recovered.
 */
final class ClassifyingErrorHandler extends DefaultErrorHandler {

    private static final LogAccessor log = new LogAccessor(ClassifyingErrorHandler.class);

    private final FailureClassifier classifier;
    private final ExceptionMatcher notPoison;

    ClassifyingErrorHandler(ConsumerRecordRecoverer recoverer, BackOff failureBackOff, FailureClassifier classifier,
            OutageRetry outageRetry) {
        super(recoverer, failureBackOff);
        this.classifier = classifier;
        this.notPoison = new ExceptionMatcher(List.of(), true) {
            @Override
            public boolean match(@Nullable Throwable exception) {
                return exception == null || classifier.classify(exception) != FailureClassifier.Kind.POISON;
            }
        };
        setBackOffFunction((record, exception) ->
                classifier.classify(exception) == FailureClassifier.Kind.OUTAGE ? outageRetry.backOff() : null);
        setRetryListeners(new RetryListener() {
            @Override
            public void failedDelivery(ConsumerRecord<?, ?> record, Exception exception, int deliveryAttempt) {
                if (classifier.classify(exception) == FailureClassifier.Kind.OUTAGE) {
                    log.warn(() -> "Outage while handling " + record.topic() + "-" + record.partition() + "@" + record.offset()
                            + " (attempt " + deliveryAttempt + "): waiting it out, the record is retried, not dead-lettered: "
                            + rootMessage(exception));
                }
            }
        });
    }

    /** Consulted by the retry logic: poison is not retried. */
    @Override
    protected ExceptionMatcher getExceptionMatcher() {
        return notPoison;
    }

    FailureClassifier classifier() {
        return classifier;
    }

    private static String rootMessage(Throwable exception) {
        StringBuilder text = new StringBuilder();
        for (Throwable e = exception; e != null && e.getCause() != e; e = e.getCause()) {
            if (e.getMessage() != null && !text.toString().contains(e.getMessage())) {
                text.append(text.isEmpty() ? "" : " <- ").append(e.getClass().getSimpleName()).append(": ").append(e.getMessage());
            }
        }
        return text.toString();
    }
}
