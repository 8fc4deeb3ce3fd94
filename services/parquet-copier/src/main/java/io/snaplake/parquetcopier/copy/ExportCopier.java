package io.snaplake.parquetcopier.copy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Copies one export's Parquet files into the lake's date layout.
 *
 * <p>Memory stays bounded whatever the export's size: tables are listed one page at a time, and at most
 * {@code concurrency} copies are in flight (the listing waits for a free slot), so the copier holds one
 * listing page and {@code concurrency} pending copies, never the export's whole key list.
 *
 * <p>Idempotent and resumable: target keys are a function of the source keys ({@link LakeLayout}). When
 * a table's partition already holds objects (a replay, or a restart after a crash mid-copy), each file
 * is first compared with its target (size and ETag, HEAD) and copied only if missing or different; a
 * first run skips those HEADs. Copies are atomic in S3 (a multipart copy is invisible until
 * completed), so a crash never leaves a half-written file in the lake.
 *
 * <p>Verified: after the copies, each table's partition is listed and its Parquet files and bytes must
 * equal what the export's listing had; anything else fails the table with the numbers.
 */
public final class ExportCopier {

    private final ObjectStore store;
    private final ExportManifestReader manifests;
    private final LakeLayout lake;
    private final int concurrency;
    private final Duration copyTimeout;
    private final CopyMetrics metrics;
    private final Clock clock;

    /**
     * @param concurrency most copies in flight at once
     * @param copyTimeout bounds the handling of one export: no new copy starts after this much time, and
     *                    copies still in flight then are cancelled; the export is then reported incomplete
     *                    (a re-run resumes). Keeps a handler well inside the consumer's max.poll.interval.ms.
     */
    public ExportCopier(ObjectStore store, LakeLayout lake, int concurrency, Duration copyTimeout, CopyMetrics metrics,
            Clock clock) {
        this.store = store;
        this.manifests = new ExportManifestReader(store);
        this.lake = lake;
        this.concurrency = concurrency;
        this.copyTimeout = copyTimeout;
        this.metrics = metrics;
        this.clock = clock;
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
        Semaphore slots = new Semaphore(concurrency);
        Instant deadline = started.plus(copyTimeout);
        Set<CompletableFuture<?>> inFlight = ConcurrentHashMap.newKeySet();
        Map<ExportTable, TableTally> tallies = new LinkedHashMap<>();
        Map<ExportTable, String> partitions = new LinkedHashMap<>();
        List<TableReport> early = new ArrayList<>();
        for (ExportTable table : manifest.tables()) {
            TableTally tally = new TableTally();
            if (!table.isComplete()) {
                countFiles(export, table, tally);
                early.add(tally.report(table, TableCopyStatus.SKIPPED_BY_EXPORT, null, table.warningMessage() != null
                        ? table.warningMessage()
                        : "the export reported status " + table.exportStatus() + " for this table: not copied"));
                continue;
            }
            String partition;
            try {
                partition = lake.exportPrefix(cluster, table, date, export.exportTaskId());
            } catch (UnsafeKeyException e) {
                early.add(tally.report(table, TableCopyStatus.FAILED, null, "refused: " + e.getMessage()));
                continue;
            }
            tallies.put(table, tally);
            partitions.put(table, partition);
            if (clock.instant().isAfter(deadline)) {
                tally.fail(timeoutMessage());
                continue;
            }
            try {
                copyTable(export, table, partition, tally, new Run(slots, deadline, inFlight));
            } catch (DeadlineReached e) {
                tally.fail(timeoutMessage());
            } catch (ObjectStoreUnavailableException e) {
                tally.failByOutage("listing s3://" + export.bucket() + "/" + export.tableFolder(table) + " failed: " + e.getMessage(), e);
            } catch (RuntimeException e) {
                tally.fail("listing s3://" + export.bucket() + "/" + export.tableFolder(table) + " failed: " + e.getMessage());
            }
        }
        awaitInFlight(slots, deadline, inFlight);
        throwIfAnOutageInterrupted(export, tallies);

        List<TableReport> reports = new ArrayList<>();
        for (ExportTable table : manifest.tables()) {
            TableTally tally = tallies.get(table);
            if (tally == null) {
                early.stream().filter(r -> r.database().equals(table.database()) && r.table().equals(table.table()))
                        .findFirst().ifPresent(reports::add);
                continue;
            }
            reports.add(verify(table, partitions.get(table), tally));
        }
        ExportCopyReport report = new ExportCopyReport(reports, manifest.skippedDatabases(), null);
        metrics.exportCopied(report.filesCopied(), report.bytesCopied(), Duration.between(started, clock.instant()));
        return report;
    }

    /** One export's copy: the slots that bound copies in flight, the copy-timeout's deadline, and what is in flight. */
    private record Run(Semaphore slots, Instant deadline, Set<CompletableFuture<?>> inFlight) {

        /** Waits for a free slot, at most until the deadline (copies hung in flight would otherwise hold the listing forever). */
        void acquireSlot(Clock clock) {
            long remaining = Duration.between(clock.instant(), deadline).toNanos();
            try {
                if (remaining <= 0 || !slots.tryAcquire(remaining, TimeUnit.NANOSECONDS)) {
                    throw new DeadlineReached();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DeadlineReached();
            }
        }

        /** Keeps {@code request} cancellable until it completes: at the deadline every request still in flight is cancelled. */
        <T> CompletableFuture<T> track(CompletableFuture<T> request) {
            inFlight.add(request);
            request.whenComplete((value, error) -> inFlight.remove(request));
            return request;
        }
    }

    /** Thrown from a listing's visitor to stop the listing once the copy-timeout is reached. */
    private static final class DeadlineReached extends RuntimeException {
        DeadlineReached() {
            super(null, null, false, false);
        }
    }

    private void copyTable(ExportLocation export, ExportTable table, String partition, TableTally tally, Run run) {
        String tableFolder = export.tableFolder(table);
        boolean partitionHasObjects = store.anyUnder(lake.bucket(), partition);
        store.list(export.bucket(), tableFolder, source -> {
            if (!source.key().endsWith(LakeLayout.PARQUET_SUFFIX)) {
                return;
            }
            if (clock.instant().isAfter(run.deadline())) {
                throw new DeadlineReached();
            }
            tally.found(source.size());
            String target;
            try {
                target = lake.targetKey(partition, source.key().substring(tableFolder.length()));
            } catch (UnsafeKeyException e) {
                tally.fail(e.getMessage());
                return;
            }
            run.acquireSlot(clock);
            copyOne(source, target, partitionHasObjects, run).whenComplete((copied, error) -> {
                try {
                    if (error != null && unwrap(error) instanceof ObjectStoreUnavailableException outage) {
                        tally.failByOutage("s3://" + source.bucket() + "/" + source.key() + ": " + outage.getMessage(), outage);
                    } else if (error != null) {
                        tally.fail(isCancellation(error)
                                ? "s3://" + source.bucket() + "/" + source.key() + ": copy cancelled, " + timeoutMessage()
                                : "s3://" + source.bucket() + "/" + source.key() + ": " + error.getMessage());
                    } else if (copied) {
                        tally.copied(source.size());
                        metrics.copied(source.size());
                    } else {
                        tally.alreadyPresent(source.size());
                        metrics.alreadyPresent(source.size());
                    }
                } finally {
                    // Released only after the tally is updated: awaiting all slots then means every result is counted.
                    run.slots().release();
                }
            });
        });
    }

    /** Completes with true if copied, false if an identical object was already there. */
    private CompletableFuture<Boolean> copyOne(StoredObject source, String target, boolean compareFirst, Run run) {
        try {
            if (!compareFirst) {
                return run.track(store.copy(source, lake.bucket(), target)).thenApply(done -> true);
            }
            return run.track(store.head(lake.bucket(), target)).thenCompose(existing -> existing.isPresent()
                    && existing.get().isCopyOf(source)
                    ? CompletableFuture.completedFuture(false)
                    : run.track(store.copy(source, lake.bucket(), target)).thenApply(done -> true));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Waits for the copies in flight, at most until the deadline; then cancels those still running (the
     * SDK aborts their requests and the retrier stops), so that the copy-timeout bounds the whole
     * handling of an export, not only when the last copy starts.
     */
    private void awaitInFlight(Semaphore slots, Instant deadline, Set<CompletableFuture<?>> inFlight) {
        long remaining = Math.max(0, Duration.between(clock.instant(), deadline).toNanos());
        boolean allDone;
        try {
            allDone = slots.tryAcquire(concurrency, remaining, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            allDone = false;
        }
        if (!allDone) {
            // Cancelling completes each request's future at once, which releases its slot.
            List.copyOf(inFlight).forEach(request -> request.cancel(true));
            slots.acquireUninterruptibly(concurrency);
        }
        slots.release(concurrency);
    }

    /**
     * An outage is waited out, never reported as a failed table: the whole export is handled again once
     * S3 answers, and the copies already made are found in place (idempotent), so nothing is copied twice.
     */
    private static void throwIfAnOutageInterrupted(ExportLocation export, Map<ExportTable, TableTally> tallies) {
        for (Map.Entry<ExportTable, TableTally> table : tallies.entrySet()) {
            ObjectStoreUnavailableException outage = table.getValue().outage();
            if (outage != null) {
                throw new ObjectStoreUnavailableException("copying export " + export.exportTaskId() + " (table "
                        + table.getKey().database() + "." + table.getKey().table() + ") met an S3 outage; the export is "
                        + "handled again once S3 answers, keeping the copies made: " + outage.getMessage(), outage);
            }
        }
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    private String timeoutMessage() {
        return "copy-timeout " + copyTimeout + " reached before every file was copied; a re-run resumes";
    }

    private static boolean isCancellation(Throwable error) {
        return unwrap(error) instanceof CancellationException;
    }

    private void countFiles(ExportLocation export, ExportTable table, TableTally tally) {
        store.list(export.bucket(), export.tableFolder(table), object -> {
            if (object.key().endsWith(LakeLayout.PARQUET_SUFFIX)) {
                tally.found(object.size());
            }
        });
    }

    private TableReport verify(ExportTable table, String partition, TableTally tally) {
        String location = lake.location(partition);
        if (tally.failed()) {
            return tally.report(table, TableCopyStatus.FAILED, location, tally.problemSummary());
        }
        AtomicLong files = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        AtomicLong others = new AtomicLong();
        store.list(lake.bucket(), partition, object -> {
            if (object.key().endsWith(LakeLayout.PARQUET_SUFFIX)) {
                files.incrementAndGet();
                bytes.addAndGet(object.size());
            } else {
                others.incrementAndGet();
            }
        });
        if (files.get() != tally.filesFound() || bytes.get() != tally.bytesFound() || others.get() > 0) {
            return tally.report(table, TableCopyStatus.FAILED, location, ("verification failed: the lake partition holds "
                    + "%d Parquet files (%d bytes) and %d other objects; the export has %d files (%d bytes)")
                    .formatted(files.get(), bytes.get(), others.get(), tally.filesFound(), tally.bytesFound()));
        }
        return tally.report(table, TableCopyStatus.COPIED, location, null);
    }
}
