package io.snaplake.exportscheduler.domain;

import java.time.Instant;

/**
 * An RDS export task as AWS describes it.
 *
 * @param percentProgress        0-100
 * @param totalExtractedDataInGb null until known
 * @param failureCause           set when FAILED (or CANCELED, when AWS says why)
 */
public record ExportTask(String id, String sourceArn, ExportStatus status, int percentProgress,
        Long totalExtractedDataInGb, String failureCause, String warningMessage, Instant startTime, Instant endTime) {
}
