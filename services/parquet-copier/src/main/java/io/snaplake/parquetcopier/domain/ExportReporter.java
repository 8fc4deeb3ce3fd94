package io.snaplake.parquetcopier.domain;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;

/**
 * Builds an export's report from its tables' reports, once every table is verified. An S3 outage met by any
 * table, or a failure to verify one, is thrown instead: the export is then handled again.
 */
record ExportReporter(CopyMetrics metrics, Clock clock) {

    ExportCopyReport report(ExportLocation export, ExportManifest manifest, List<TableCopy> tables, Instant started) {
        List<TableReport> reports = new ArrayList<>();
        RuntimeException failure = null;
        for (TableCopy copy : tables) {
            try {
                reports.add(copy.report.join());
            } catch (CompletionException | CancellationException e) {
                Throwable cause = Futures.unwrap(e);
                if (failure == null) {
                    failure = cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
                }
            }
        }
        throwIfAnOutageInterrupted(export, tables);
        if (failure != null) {
            throw failure;
        }
        ExportCopyReport report = new ExportCopyReport(reports, manifest.skippedDatabases(), null);
        metrics.exportCopied(report.filesCopied(), report.bytesCopied(), Duration.between(started, clock.instant()));
        return report;
    }

    /**
     * An outage is waited out, never reported as a failed table: the whole export is handled again once
     * S3 answers, and the copies already made are found in place (idempotent), so nothing is copied twice.
     */
    private static void throwIfAnOutageInterrupted(ExportLocation export, List<TableCopy> tables) {
        for (TableCopy table : tables) {
            ObjectStoreUnavailableException outage = table.tally.outage();
            if (outage != null) {
                throw new ObjectStoreUnavailableException("copying export " + export.exportTaskId() + " (table "
                        + table.table.database() + "." + table.table.table() + ") met an S3 outage; the export is "
                        + "handled again once S3 answers, keeping the copies made: " + outage.getMessage(), outage);
            }
        }
    }
}
