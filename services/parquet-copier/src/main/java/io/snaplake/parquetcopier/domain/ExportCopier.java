package io.snaplake.parquetcopier.domain;

import io.snaplake.pipeline.DaemonThreads;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Copies one export's Parquet files into the lake's date layout: idempotent, resumable, verified table by
 * table, and bounded in time (copy-timeout) and memory. A lister thread ({@link TableLister}) feeds the
 * copies ({@link FileCopier}) while finished tables are verified ({@link TableVerifier}); how and why is in
 * docs/design/parquet-copier.md.
 */
public final class ExportCopier {

    /** Listed files the lister may run ahead of the copies: two listing pages (S3 answers at most 1,000 keys a page). */
    static final int LOOKAHEAD = 2_000;

    /** Tables verified at once: verification is one listing per table, so a few keep up with the copies. */
    static final int VERIFIERS = 4;

    /** Requests the copier may have out beside its copies: the lister's and the verifiers'. */
    public static final int REQUESTS_BESIDE_COPIES = 1 + VERIFIERS;

    private final ExportManifestReader manifests;
    private final LakeLayout lake;
    private final int concurrency;
    private final Duration copyTimeout;
    private final Clock clock;
    private final TableLister lister;
    private final FileCopier fileCopier;
    private final TableVerifier verifier;
    private final ExportReporter reporter;

    /**
     * @param concurrency most copies in flight at once
     * @param copyTimeout bounds the handling of one export: no new copy starts after this much time, and
     *                    copies still in flight then are cancelled; the export is then reported incomplete
     *                    (a re-run resumes). Keeps a handler well inside the consumer's max.poll.interval.ms.
     */
    public ExportCopier(ObjectStore store, LakeLayout lake, int concurrency, Duration copyTimeout, CopyMetrics metrics,
            Clock clock) {
        this.manifests = new ExportManifestReader(store);
        this.lake = lake;
        this.concurrency = concurrency;
        this.copyTimeout = copyTimeout;
        this.clock = clock;
        this.lister = new TableLister(store, lake, clock);
        this.fileCopier = new FileCopier(store, lake, concurrency, metrics, clock);
        this.verifier = new TableVerifier(store, lake);
        this.reporter = new ExportReporter(metrics, clock);
    }

    public LakeLayout lake() {
        return lake;
    }

    /** Copies the export's tables for {@code cluster}'s snapshot of {@code date}. */
    public ExportCopyReport copy(ExportLocation export, String cluster, LocalDate date) {
        Instant started = clock.instant();
        ExportManifest manifest;
        try {
            manifest = manifests.read(export);
        } catch (ExportUnreadableException e) {
            return ExportCopyReport.unreadable(e.getMessage());
        }
        List<TableCopy> tables = manifest.tables().stream().map(TableCopy::new).toList();
        ExecutorService listerThread = Executors.newSingleThreadExecutor(
                DaemonThreads.numbered("copier-lister-" + export.exportTaskId()));
        ExecutorService verifiers = Executors.newFixedThreadPool(VERIFIERS,
                DaemonThreads.numbered("copier-verifier-" + export.exportTaskId()));
        CopyRun run = new CopyRun(export, cluster, date, concurrency, started, copyTimeout, verifier, verifiers);
        try {
            Future<?> listing = listerThread.submit(() -> lister.listTables(tables, run));
            fileCopier.copyListed(run);
            // The lister ends on its own (the listing is done, or it saw the deadline or the stop); wait, so
            // that no table's counts change after its report.
            awaitQuietly(listing);
            lister.failTablesNotListed(tables, run);
            fileCopier.awaitInFlight(run);
            return reporter.report(export, manifest, tables, started);
        } finally {
            listerThread.shutdownNow();
            verifiers.shutdownNow();
        }
    }

    private static void awaitQuietly(Future<?> task) {
        boolean interrupted = false;
        while (true) {
            try {
                task.get();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException e) {
                // The lister catches what a table's listing throws; anything else is a defect, and shown as one.
                throw new IllegalStateException("the export's lister failed: " + e.getCause(), e.getCause());
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
