package io.snaplake.testkit.proxy;

import io.snaplake.testkit.proxy.AwsCall.Protocol;

/**
 * An error answer as AWS gives it: a status and an error code, written in the request's protocol by
 * {@link ErrorResponses} (S3's XML {@code <Error>}, JSON's {@code __type}, the query protocol's
 * {@code <ErrorResponse>}).
 *
 * @param status  the HTTP status, e.g. 503
 * @param reason  the status line's reason phrase, e.g. {@code Slow Down}
 * @param code    the error code, e.g. {@code SlowDown}
 * @param message the error's message
 */
public record AwsError(int status, String reason, String code, String message) {

    /** S3 throttling: S3 asks the client to slow down. */
    public static final AwsError SLOW_DOWN = new AwsError(503, "Slow Down", "SlowDown", "Please reduce your request rate.");

    /** A server error S3 documents as transient: the client should retry. */
    public static final AwsError INTERNAL_ERROR = new AwsError(500, "Internal Server Error", "InternalError",
            "We encountered an internal error. Please try again.");

    /** The credentials are refused (a role policy changed, a token expired): not a fault of the request. */
    public static final AwsError ACCESS_DENIED = new AwsError(403, "Forbidden", "AccessDenied", "Access Denied");

    private static final String INJECTED = " (injected by the fault proxy)";

    /** {@code fault} as the service behind {@code protocol} gives it; S3 throttles with 503 SlowDown only. */
    public static AwsError of(Fault fault, Protocol protocol) {
        return switch (protocol) {
            case S3 -> fault == Fault.INTERNAL_ERROR_500 ? INTERNAL_ERROR : SLOW_DOWN;
            case JSON, REST_JSON -> new AwsError(fault.status, fault.reason, switch (fault) {
                case THROTTLED_400 -> "ThrottlingException";
                case TOO_MANY_REQUESTS_429 -> "TooManyRequestsException";
                case INTERNAL_ERROR_500 -> "InternalServerException";
                case UNAVAILABLE_503 -> "ServiceUnavailableException";
            }, message(fault));
            case QUERY -> new AwsError(fault.status, fault.reason, switch (fault) {
                case THROTTLED_400, TOO_MANY_REQUESTS_429 -> "Throttling";
                case INTERNAL_ERROR_500 -> "InternalFailure";
                case UNAVAILABLE_503 -> "ServiceUnavailable";
            }, message(fault));
        };
    }

    /** Whether the fault is the server's (5xx: {@code Receiver}) or the sender's ({@code Sender}). */
    boolean serverSide() {
        return status >= 500;
    }

    private static String message(Fault fault) {
        return switch (fault) {
            case THROTTLED_400, TOO_MANY_REQUESTS_429 -> "Rate exceeded" + INJECTED;
            case INTERNAL_ERROR_500 -> "We encountered an internal error. Please try again." + INJECTED;
            case UNAVAILABLE_503 -> "Service unavailable" + INJECTED;
        };
    }
}
