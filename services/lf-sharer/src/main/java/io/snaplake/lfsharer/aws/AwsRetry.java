package io.snaplake.lfsharer.aws;

import java.time.Duration;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Retries what is worth retrying with capped exponential backoff: Lake Formation's
 * ConcurrentModificationException (another grant or tag change raced this one), throttling, 5xx and I/O
 * failures. Anything else is thrown at once.
 *
 * @param maxAttempts    attempts in all, first included
 * @param initialBackoff wait before the second attempt; doubles each time
 * @param maxBackoff     longest wait between two attempts
 */
public record AwsRetry(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

    /** Error codes, of a whole call or of one batch entry, that mean "try again". */
    static final Set<String> RETRYABLE_CODES = Set.of("ConcurrentModificationException", "ThrottlingException",
            "ThrottledException", "TooManyRequestsException", "OperationTimeoutException", "InternalServiceException",
            "ServiceUnavailableException", "RequestLimitExceeded");

    public AwsRetry {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("retry max-attempts must be at least 1, got " + maxAttempts);
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("retry backoffs must satisfy 0 <= initial-backoff <= max-backoff, got "
                    + initialBackoff + " and " + maxBackoff);
        }
    }

    public <T> T call(String what, Supplier<T> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (SdkException e) {
                if (!isRetryable(e) || attempt >= maxAttempts) {
                    throw e;
                }
                pause(attempt);
            }
        }
    }

    public void run(String what, Runnable call) {
        call(what, () -> {
            call.run();
            return null;
        });
    }

    public static boolean isRetryable(SdkException e) {
        if (e instanceof AwsServiceException service) {
            String code = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
            return service.isThrottlingException() || service.statusCode() >= 500 || (code != null && RETRYABLE_CODES.contains(code));
        }
        return e instanceof SdkClientException || e.retryable();
    }

    public static boolean isRetryableCode(String errorCode) {
        return errorCode != null && RETRYABLE_CODES.contains(errorCode);
    }

    /** Waits before attempt {@code attempt + 1}. */
    void pause(int attempt) {
        long millis = Math.min(maxBackoff.toMillis(), initialBackoff.toMillis() << Math.min(attempt - 1, 20));
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry", e);
        }
    }
}
