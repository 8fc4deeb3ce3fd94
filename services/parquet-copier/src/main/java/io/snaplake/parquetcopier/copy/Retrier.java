package io.snaplake.parquetcopier.copy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Retries asynchronous requests by a {@link RetryPolicy}. Waits are scheduled, never slept, so a
 * throttled copy holds no thread while it waits.
 */
public final class Retrier {

    private final RetryPolicy policy;
    private final Predicate<Throwable> retryable;
    private final ScheduledExecutorService scheduler;
    private final CopyMetrics metrics;

    /**
     * @param retryable which failures are worth another attempt (throttling, 5xx, I/O errors)
     * @param scheduler schedules the next attempts
     */
    public Retrier(RetryPolicy policy, Predicate<Throwable> retryable, ScheduledExecutorService scheduler, CopyMetrics metrics) {
        this.policy = policy;
        this.retryable = retryable;
        this.scheduler = scheduler;
        this.metrics = metrics;
    }

    public <T> CompletableFuture<T> call(Supplier<CompletableFuture<T>> request) {
        CompletableFuture<T> result = new CompletableFuture<>();
        attempt(request, 1, result);
        return result;
    }

    private <T> void attempt(Supplier<CompletableFuture<T>> request, int attempt, CompletableFuture<T> result) {
        CompletableFuture<T> call;
        try {
            call = request.get();
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        call.whenComplete((value, error) -> {
            if (error == null) {
                result.complete(value);
                return;
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (attempt >= policy.maxAttempts() || !retryable.test(cause)) {
                result.completeExceptionally(cause);
                return;
            }
            metrics.retried(cause);
            long cap = policy.backoffCap(attempt).toMillis();
            long wait = cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1);
            scheduler.schedule(() -> attempt(request, attempt + 1, result), wait, TimeUnit.MILLISECONDS);
        });
    }
}
