package io.snaplake.exportscheduler.domain;

import java.util.Locale;

/** Status of an RDS export task as DescribeExportTasks reports it (AWS in capitals, moto in lower case). */
public enum ExportStatus {
    STARTING, IN_PROGRESS, COMPLETE, CANCELING, CANCELED, FAILED, UNKNOWN;

    public static ExportStatus parse(String status) {
        if (status == null) {
            return UNKNOWN;
        }
        try {
            return valueOf(status.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return UNKNOWN;
        }
    }

    /** Counts against the account's limit of concurrent exports. */
    public boolean holdsASlot() {
        return this == STARTING || this == IN_PROGRESS;
    }

    public boolean isTerminal() {
        return this == COMPLETE || this == CANCELED || this == FAILED;
    }
}
