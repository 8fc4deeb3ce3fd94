package io.snaplake.crawlerrunner.aws;

import io.snaplake.crawlerrunner.domain.CatalogAccessDeniedException;
import io.snaplake.crawlerrunner.domain.CatalogUnavailableException;
import io.snaplake.pipeline.retry.RetryPolicy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Runs AWS requests with the service's retry policy, blocking ({@link #call}) or scheduled ({@link #callAsync}).
 * Transient errors are retried, then become {@link CatalogUnavailableException}; AccessDenied becomes
 * {@link CatalogAccessDeniedException} naming the permission; anything else is thrown as it is.
 */
public final class AwsCalls {

    private static final Set<String> TRANSIENT_CODES = Set.of("ThrottlingException", "Throttling", "TooManyRequestsException",
            "ConcurrentModificationException", "OperationTimeoutException", "InternalServiceException", "InternalError",
            "ServiceUnavailable", "SlowDown", "RequestTimeout");
    private static final Set<String> DENIED_CODES = Set.of("AccessDeniedException", "AccessDenied", "UnauthorizedOperation");
    private static final Pattern PERMISSION = Pattern.compile("perform: ([a-z0-9-]+:[A-Za-z0-9]+)");

    private final RetryPolicy policy;

    public AwsCalls(RetryPolicy policy) {
        this.policy = policy;
    }

    /** @param permission the IAM action of the request, e.g. {@code glue:CreateTable}, named if it is denied */
    public <T> T call(String permission, Supplier<T> request) {
        for (int attempt = 1; ; attempt++) {
            try {
                return request.get();
            } catch (SdkException e) {
                RuntimeException end = endOf(e, permission, attempt);
                if (end != null) {
                    throw end;
                }
                sleep(policy.backoff(attempt).toMillis());
            }
        }
    }

    /** As {@link #call}, for an asynchronous request: a retry is scheduled on {@code scheduler}, no thread waits. */
    public <T> CompletableFuture<T> callAsync(String permission, Supplier<CompletableFuture<T>> request, ScheduledExecutorService scheduler) {
        CompletableFuture<T> result = new CompletableFuture<>();
        attempt(permission, request, scheduler, 1, result);
        return result;
    }

    private <T> void attempt(String permission, Supplier<CompletableFuture<T>> request, ScheduledExecutorService scheduler, int attempt,
            CompletableFuture<T> result) {
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
            Throwable end = cause instanceof RuntimeException runtime ? endOf(runtime, permission, attempt) : cause;
            if (end != null) {
                result.completeExceptionally(end);
            } else {
                scheduler.schedule(() -> attempt(permission, request, scheduler, attempt + 1, result), policy.backoff(attempt).toMillis(),
                        TimeUnit.MILLISECONDS);
            }
        });
    }

    /** What a failed attempt ends the request with, or null when it is retried. */
    private RuntimeException endOf(RuntimeException error, String permission, int attempt) {
        if (isDenied(error)) {
            return new CatalogAccessDeniedException(deniedPermission(error, permission), error.getMessage(), error);
        }
        if (!isTransient(error)) {
            return error;
        }
        if (attempt >= policy.maxAttempts()) {
            return new CatalogUnavailableException(permission + " failed " + attempt + " times in a row (throttled or unavailable): "
                    + error.getMessage(), error);
        }
        return null;
    }

    /**
     * Every page of a listing: {@code page} requests the page after a token (null for the first), {@code next} is the
     * token of the page after it (null or empty on the last page).
     */
    public static <P, T> List<T> allPages(Function<String, P> page, Function<P, ? extends Collection<T>> items, Function<P, String> next) {
        List<T> all = new ArrayList<>();
        String token = null;
        do {
            P current = page.apply(token);
            all.addAll(items.apply(current));
            token = next.apply(current);
        } while (token != null && !token.isEmpty());
        return all;
    }

    public static boolean isTransient(Throwable error) {
        if (error instanceof AwsServiceException service) {
            String code = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
            return service.isThrottlingException() || service.statusCode() >= 500 || service.statusCode() == 429
                    || (code != null && TRANSIENT_CODES.contains(code));
        }
        return error instanceof SdkClientException;
    }

    public static boolean isDenied(Throwable error) {
        if (error instanceof AwsServiceException service) {
            String code = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
            return service.statusCode() == 403 || (code != null && DENIED_CODES.contains(code));
        }
        return false;
    }

    /** The action AWS names in its message ("... is not authorized to perform: glue:CreateTable on ..."), else the request's. */
    public static String deniedPermission(Throwable error, String permission) {
        Matcher named = PERMISSION.matcher(String.valueOf(error.getMessage()));
        return named.find() ? named.group(1) : permission;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CatalogUnavailableException("interrupted while waiting to retry", e);
        }
    }
}
