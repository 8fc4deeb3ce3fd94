package io.snaplake.parquetcopier.domain;

import io.snaplake.pipeline.retry.RetryPolicy;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
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

    /**
     * Calls {@code request}, again after a backoff while it fails with a retryable error. Cancelling the
     * returned future cancels the attempt in flight (the SDK aborts its request) and stops the retries.
     */
    public <T> CompletableFuture<T> call(Supplier<CompletableFuture<T>> request) {
        CompletableFuture<T> result = new CompletableFuture<>();
        AtomicReference<CompletableFuture<T>> current = new AtomicReference<>();
        result.whenComplete((value, error) -> {
            CompletableFuture<T> attempt = current.get();
            if (result.isCancelled() && attempt != null) {
                attempt.cancel(true);
            }
        });
        attempt(request, 1, result, current);
        return result;
    }

    /** {@code derived}, made so that cancelling it also cancels {@code upstream} (CompletableFuture does not propagate cancellation). */
    public static <T> CompletableFuture<T> cancelling(CompletableFuture<T> derived, CompletableFuture<?> upstream) {
        derived.whenComplete((value, error) -> {
            if (derived.isCancelled()) {
                upstream.cancel(true);
            }
        });
        return derived;
    }

    private <T> void attempt(Supplier<CompletableFuture<T>> request, int attempt, CompletableFuture<T> result,
            AtomicReference<CompletableFuture<T>> current) {
        if (result.isDone()) {
            return;
        }
        CompletableFuture<T> call;
        try {
            call = request.get();
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        current.set(call);
        if (result.isCancelled()) {
            call.cancel(true);
            return;
        }
        call.whenComplete((value, error) -> {
            if (result.isDone()) {
                return;
            }
            if (error == null) {
                result.complete(value);
                return;
            }
            Throwable cause = Futures.unwrap(error);
            if (attempt >= policy.maxAttempts() || !retryable.test(cause)) {
                result.completeExceptionally(cause);
                return;
            }
            metrics.retried(cause);
            scheduler.schedule(() -> attempt(request, attempt + 1, result, current), policy.backoff(attempt).toMillis(),
                    TimeUnit.MILLISECONDS);
        });
    }
}
