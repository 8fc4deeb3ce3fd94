package io.snaplake.crawlerrunner.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snaplake.crawlerrunner.domain.CatalogAccessDeniedException;
import io.snaplake.crawlerrunner.domain.CatalogUnavailableException;
import io.snaplake.pipeline.retry.RetryPolicy;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.glue.model.AccessDeniedException;
import software.amazon.awssdk.services.glue.model.ConcurrentModificationException;
import software.amazon.awssdk.services.glue.model.EntityNotFoundException;
import software.amazon.awssdk.services.glue.model.GlueException;
import software.amazon.awssdk.services.glue.model.OperationTimeoutException;

/** How AWS errors are told apart: retried (throttling, concurrent modification, timeouts, 5xx), denied (named), or thrown. */
class AwsCallsTest {

    private final AwsCalls calls = new AwsCalls(new RetryPolicy(5, Duration.ofMillis(1), Duration.ofMillis(5)));

    @Test
    void retriesThrottlingConcurrentModificationTimeoutsAndServerErrors_untilTheRequestSucceeds() {
        Deque<RuntimeException> failures = new ArrayDeque<>(List.of(
                error(GlueException.builder(), 400, "ThrottlingException", "Rate exceeded"),
                error(ConcurrentModificationException.builder(), 400, "ConcurrentModificationException", "busy"),
                error(OperationTimeoutException.builder(), 400, "OperationTimeoutException", "timed out"),
                error(GlueException.builder(), 503, "ServiceUnavailable", "unavailable")));
        AtomicInteger attempts = new AtomicInteger();

        String result = calls.call("glue:CreateTable", () -> {
            attempts.incrementAndGet();
            if (!failures.isEmpty()) {
                throw failures.pop();
            }
            return "created";
        });

        assertThat(result).isEqualTo("created");
        assertThat(attempts).hasValue(5);
    }

    @Test
    void givesUpAsAnOutage_whenThrottlingOutlastsTheRetries() {
        AtomicInteger attempts = new AtomicInteger();

        assertThatThrownBy(() -> alwaysFailing("glue:GetTable", attempts, error(GlueException.builder(), 400, "ThrottlingException",
                "Rate exceeded"))).isInstanceOf(CatalogUnavailableException.class).hasMessageStartingWith("glue:GetTable failed 5 times in a row");
        assertThat(attempts).hasValue(5);
    }

    @Test
    void namesTheMissingPermission_fromAwsMessage_orTheRequestsAction() {
        assertThatThrownBy(() -> alwaysFailing("glue:CreateTable", new AtomicInteger(), error(AccessDeniedException.builder(), 400,
                "AccessDeniedException", "User: arn:aws:sts::123456789012:assumed-role/crawler-runner/x is not authorized to perform: "
                        + "glue:CreateTable on resource: arn:aws:glue:us-east-1:123456789012:table/orders/t")))
                .isInstanceOfSatisfying(CatalogAccessDeniedException.class, denied -> assertThat(denied.permission()).isEqualTo("glue:CreateTable"));
        // moto with IAM enforcement answers a bare 403.
        assertThatThrownBy(() -> alwaysFailing("glue:BatchCreatePartition", new AtomicInteger(), error(GlueException.builder(), 403,
                "AccessDenied", "Access Denied"))).isInstanceOfSatisfying(CatalogAccessDeniedException.class,
                denied -> assertThat(denied.permission()).isEqualTo("glue:BatchCreatePartition"));
    }

    @Test
    void throwsOtherErrorsAtOnce() {
        AtomicInteger attempts = new AtomicInteger();

        assertThatThrownBy(() -> alwaysFailing("glue:GetTable", attempts, error(EntityNotFoundException.builder(), 400,
                "EntityNotFoundException", "no such table"))).isInstanceOf(EntityNotFoundException.class);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void retriesAnAsynchronousRequest_onTheScheduler_andEndsItAsTheBlockingOneWould() throws Exception {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            AtomicInteger attempts = new AtomicInteger();
            CompletableFuture<String> throttled = calls.callAsync("s3:GetObject", () -> {
                attempts.incrementAndGet();
                return CompletableFuture.failedFuture(error(GlueException.builder(), 503, "SlowDown", "Please reduce your request rate"));
            }, scheduler);

            assertThatThrownBy(throttled::join).isInstanceOf(CompletionException.class).cause()
                    .isInstanceOf(CatalogUnavailableException.class).hasMessageStartingWith("s3:GetObject failed 5 times in a row");
            assertThat(attempts).hasValue(5);
        } finally {
            scheduler.shutdownNow();
        }
    }

    /** Runs a request that fails with {@code error} on every attempt, counting the attempts. */
    private String alwaysFailing(String permission, AtomicInteger attempts, RuntimeException error) {
        return calls.call(permission, () -> {
            attempts.incrementAndGet();
            throw error;
        });
    }

    private static RuntimeException error(GlueException.Builder builder, int status, String code, String message) {
        return (RuntimeException) builder.statusCode(status).message(message)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).serviceName("Glue").build()).build();
    }
}
