package io.snaplake.testkit.proxy;

/** The kinds of error a {@link FaultPlan} answers with, each given in the protocol's own terms by {@link AwsError#of}. */
public enum Fault {
    THROTTLED_400(400, "Bad Request"),
    TOO_MANY_REQUESTS_429(429, "Too Many Requests"),
    INTERNAL_ERROR_500(500, "Internal Server Error"),
    UNAVAILABLE_503(503, "Service Unavailable");

    final int status;
    final String reason;

    Fault(int status, String reason) {
        this.status = status;
        this.reason = reason;
    }
}
