package io.snaplake.rdsexportwriter.proxy;

/**
 * An error response as S3 writes it: a status line and an XML body naming the error code. What
 * {@link S3FaultProxy} answers copy requests with.
 *
 * @param status the HTTP status, e.g. 503
 * @param reason the status line's reason phrase, e.g. {@code Slow Down}
 * @param code   the {@code <Code>} of the XML body, e.g. {@code SlowDown}
 */
public record S3Error(int status, String reason, String code, String message) {

    /** Throttling: S3 asks the client to slow down. */
    public static final S3Error SLOW_DOWN = new S3Error(503, "Slow Down", "SlowDown", "Please reduce your request rate.");

    /** A server error S3 documents as transient: the client should retry. */
    public static final S3Error INTERNAL_ERROR = new S3Error(500, "Internal Server Error", "InternalError",
            "We encountered an internal error. Please try again.");

    /** The credentials are refused (a role policy changed, a token expired): not a fault of the request. */
    public static final S3Error ACCESS_DENIED = new S3Error(403, "Forbidden", "AccessDenied", "Access Denied");
}
