package io.snaplake.exportscheduler.domain;

/** An error answered by RDS, classified by what the scheduler should do about it. */
public abstract sealed class RdsExportException extends RuntimeException {

    private final String errorCode;

    protected RdsExportException(String errorCode, String message, Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
    }

    /** The AWS error code, e.g. ExportTaskLimitReachedFault; the exception's class name for client-side errors. */
    public String errorCode() {
        return errorCode;
    }

    /** ExportTaskLimitReachedFault: wait for a slot; not a failure. */
    public static final class LimitReached extends RdsExportException {
        public LimitReached(String errorCode, String message, Throwable cause) {
            super(errorCode, message, cause);
        }
    }

    /** ExportTaskAlreadyExists: the task was started before (a retry or a replay); adopt it. */
    public static final class AlreadyExists extends RdsExportException {
        public AlreadyExists(String errorCode, String message, Throwable cause) {
            super(errorCode, message, cause);
        }
    }

    /** The call cannot succeed as made (snapshot missing, bucket, IAM role, KMS key, ExportOnly): report and stop. */
    public static final class Permanent extends RdsExportException {
        private final String reason;

        public Permanent(String reason, String errorCode, String message, Throwable cause) {
            super(errorCode, message, cause);
            this.reason = reason;
        }

        /** Machine-readable reason for the failure event, e.g. IAM_ROLE_PROBLEM. */
        public String reason() {
            return reason;
        }
    }

    /** Throttling, a 5xx or the network: the same call may succeed later. */
    public static final class Transient extends RdsExportException {
        public Transient(String errorCode, String message, Throwable cause) {
            super(errorCode, message, cause);
        }
    }
}
