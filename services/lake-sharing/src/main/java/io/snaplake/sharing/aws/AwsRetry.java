package io.snaplake.sharing.aws;

import io.snaplake.pipeline.retry.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * How the sharing adapters call AWS: what is worth retrying (Lake Formation's ConcurrentModificationException,
 * throttling, 5xx, I/O) is retried with {@link RetryPolicy}'s backoff, anything else is thrown at once; the
 * same holds for the entries a batch call refuses inside a successful answer.
 */
public record AwsRetry(RetryPolicy policy) {

    /** Error codes, of a whole call or of one batch entry, that mean "try again". */
    static final Set<String> RETRYABLE_CODES = Set.of("ConcurrentModificationException", "ThrottlingException",
            "ThrottledException", "TooManyRequestsException", "OperationTimeoutException", "InternalServiceException",
            "ServiceUnavailableException", "RequestLimitExceeded");

    /**
     * @param maxAttempts    attempts in all, first included
     * @param initialBackoff wait before the second attempt; doubles each time
     * @param maxBackoff     longest wait between two attempts
     */
    public AwsRetry(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
        this(new RetryPolicy(maxAttempts, initialBackoff, maxBackoff));
    }

    public int maxAttempts() {
        return policy.maxAttempts();
    }

    /** @param what the AWS operation, named in the error when the wait before a retry is interrupted */
    public <T> T call(String what, Supplier<T> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (SdkException e) {
                if (!isRetryable(e) || attempt >= policy.maxAttempts()) {
                    throw e;
                }
                pause(what, attempt);
            }
        }
    }

    public void run(String what, Runnable call) {
        call(what, () -> {
            call.run();
            return null;
        });
    }

    /** The answer, or empty when AWS answers {@code notFound}: what was asked for does not exist. */
    public <T> Optional<T> callIfFound(String what, Supplier<T> call, Class<? extends SdkException> notFound) {
        try {
            return Optional.ofNullable(call(what, call));
        } catch (SdkException e) {
            if (notFound.isInstance(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Runs a create; {@code alreadyExists} (another replica made it first) is the same outcome. */
    public void create(String what, Runnable call, Class<? extends SdkException> alreadyExists) {
        try {
            run(what, call);
        } catch (SdkException e) {
            if (!alreadyExists.isInstance(e)) {
                throw e;
            }
        }
    }

    /**
     * Sends {@code entries}, then again those refused with a retryable error code, until none is or the attempts
     * run out; returns the refusals left. For calls that refuse entries inside a successful answer
     * (BatchGrantPermissions, AddLFTagsToResource).
     *
     * @param entryOf the entry sent that a refusal names, when it names one
     * @param code    a refusal's error code
     */
    public <E, R> List<R> callPerEntry(String what, List<E> entries, Function<List<E>, List<R>> call,
            Function<R, Optional<E>> entryOf, Function<R, String> code) {
        List<R> refusals = new ArrayList<>();
        List<E> pending = List.copyOf(entries);
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            List<E> sent = pending;
            Set<E> again = new LinkedHashSet<>();
            for (R refusal : call(what, () -> call.apply(sent))) {
                Optional<E> entry = entryOf.apply(refusal);
                if (entry.isPresent() && isRetryableCode(code.apply(refusal)) && attempt < policy.maxAttempts()) {
                    again.add(entry.get());
                } else {
                    refusals.add(refusal);
                }
            }
            pending = List.copyOf(again);
            if (!pending.isEmpty()) {
                pause(what, attempt);
            }
        }
        return refusals;
    }

    public static boolean isRetryable(SdkException e) {
        if (e instanceof AwsServiceException service) {
            String code = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
            return service.isThrottlingException() || service.statusCode() >= 500 || isRetryableCode(code);
        }
        return e instanceof SdkClientException || e.retryable();
    }

    public static boolean isRetryableCode(String errorCode) {
        return errorCode != null && RETRYABLE_CODES.contains(errorCode);
    }

    /** Waits before attempt {@code attempt + 1}. */
    private void pause(String what, int attempt) {
        try {
            Thread.sleep(policy.backoff(attempt).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry " + what, e);
        }
    }
}
