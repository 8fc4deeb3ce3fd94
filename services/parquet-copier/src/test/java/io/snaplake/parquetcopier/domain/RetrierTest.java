package io.snaplake.parquetcopier.domain;

import io.snaplake.pipeline.retry.RetryPolicy;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The retrier alone: plain futures stand in for SDK requests (their cancellation is what the SDK turns into an aborted request). */
class RetrierTest {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final Retrier retrier = new Retrier(new RetryPolicy(5, Duration.ofMillis(20), Duration.ofMillis(50)),
            error -> error instanceof IllegalStateException, scheduler, CopyMetrics.NONE);

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void cancelsTheAttemptInFlight_whenTheCallIsCancelled() {
        List<CompletableFuture<String>> attempts = new CopyOnWriteArrayList<>();
        CompletableFuture<String> call = retrier.call(() -> {
            CompletableFuture<String> attempt = new CompletableFuture<>();
            attempts.add(attempt);
            return attempt;
        });

        call.cancel(true);

        assertThat(attempts).hasSize(1);
        assertThat(attempts.get(0)).isCancelled();
    }

    @Test
    void startsNoFurtherAttempt_whenCancelledDuringTheBackoff() {
        // Backoffs of minutes: the retry stays queued in the scheduler until the test runs it by hand.
        ScheduledThreadPoolExecutor queue = new ScheduledThreadPoolExecutor(1);
        Retrier slow = new Retrier(new RetryPolicy(5, Duration.ofMinutes(5), Duration.ofMinutes(5)),
                error -> error instanceof IllegalStateException, queue, CopyMetrics.NONE);
        List<CompletableFuture<String>> attempts = new CopyOnWriteArrayList<>();
        CompletableFuture<String> call = slow.call(() -> {
            CompletableFuture<String> attempt = CompletableFuture.failedFuture(new IllegalStateException("503 SlowDown"));
            attempts.add(attempt);
            return attempt;
        });
        assertThat(queue.getQueue()).as("the retry waiting for its backoff").hasSize(1);

        call.cancel(true);
        new ArrayList<>(queue.getQueue()).forEach(Runnable::run); // the backoff ends

        assertThat(attempts).hasSize(1);
        assertThat(call).isCancelled();
        queue.shutdownNow();
    }

    @Test
    void cancellingADerivedFuture_cancelsItsUpstream_whenJoinedWithCancelling() {
        CompletableFuture<String> upstream = new CompletableFuture<>();
        CompletableFuture<Integer> derived = Retrier.cancelling(upstream.thenApply(String::length), upstream);

        derived.cancel(true);

        assertThat(upstream).isCancelled();
    }
}
