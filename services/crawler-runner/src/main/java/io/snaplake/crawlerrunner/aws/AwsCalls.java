package io.snaplake.crawlerrunner.aws;

import io.snaplake.crawlerrunner.domain.CatalogAccessDeniedException;
import io.snaplake.crawlerrunner.domain.CatalogUnavailableException;
import io.snaplake.pipeline.retry.RetryPolicy;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Runs one AWS request with the service's retry policy. Throttling, Glue's ConcurrentModificationException
 * and OperationTimeoutException, 5xx and I/O errors are retried with capped, jittered backoff; when retries
 * run out the request is an outage ({@link CatalogUnavailableException}). AccessDenied becomes a
 * {@link CatalogAccessDeniedException} naming the missing permission. Anything else is thrown as it is.
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
                if (isDenied(e)) {
                    throw new CatalogAccessDeniedException(deniedPermission(e, permission), e.getMessage(), e);
                }
                if (!isTransient(e)) {
                    throw e;
                }
                if (attempt >= policy.maxAttempts()) {
                    throw new CatalogUnavailableException(permission + " failed " + attempt + " times in a row (throttled or "
                            + "unavailable): " + e.getMessage(), e);
                }
                sleep(policy.backoff(attempt).toMillis());
            }
        }
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
