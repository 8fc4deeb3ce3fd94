package io.snaplake.testkit;

/** A local backend could not be found or started. Never swallowed: a test without its backend must fail. */
public class LocalInfraException extends RuntimeException {

    public LocalInfraException(String message) {
        super(message);
    }

    public LocalInfraException(String message, Throwable cause) {
        super(message, cause);
    }
}
