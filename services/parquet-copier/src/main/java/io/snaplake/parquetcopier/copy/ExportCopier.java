package io.snaplake.parquetcopier.copy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Copies one export's Parquet files into the lake's date layout.
 *
 * <p>The copy window stays full from the first file to the last: a lister thread walks the export's
 * tables in order (the partition check, then the listing, one page at a time) and runs up to
 * {@value #LOOKAHEAD} files ahead of the copies, so that neither a new listing page nor the next table
 * waits with nothing in flight; and each table is verified as soon as its own copies are done, on a
 * few verifier threads, while the next tables copy. Only the manifest's reading before the first copy
 * and the last table's verification after the last copy are round trips with nothing else in flight.
 *
 * <p>Memory stays bounded whatever the export's size: the lister holds one listing page and the
 * look-ahead at most {@value #LOOKAHEAD} listed files, and at most {@code concurrency} copies are in
 * flight (the copies wait for a free slot, and the lister for room in the look-ahead), never the
 * export's whole key list.
 *
 * <p>Idempotent and resumable: target keys are a function of the source keys ({@link LakeLayout}). When
 * a table's partition already holds objects (a replay, or a restart after a crash mid-copy), each file
 * is first compared with its target (size and ETag, HEAD) and copied only if missing or different; a
 * first run skips those HEADs. Copies are atomic in S3 (a multipart copy is invisible until
 * completed), so a crash never leaves a half-written file in the lake.
 *
 * <p>Verified: after a table's copies, its partition is listed and its Parquet files and bytes must
 * equal what the export's listing had; anything else fails the table with the numbers.
 */
public final class ExportCopier {

    /**
     * Listed files the lister may run ahead of the copies: two listing pages (S3 answers at most 1,000 keys
     * a page), so a page is fetched while the one before is still being copied, and a table's partition
     * check and first page are done before the table before it is.
     */
    static final int LOOKAHEAD = 2_000;

    /** Tables verified at once: verification is one listing per table, so a few keep up with the copies. */
    static final int VERIFIERS = 4;

    /** Requests the copier may have out beside its copies: the lister's and the verifiers'. */
    public static final int REQUESTS_BESIDE_COPIES = 1 + VERIFIERS;

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
        Run run = new Run(new Semaphore(concurrency), started.plus(copyTimeout), ConcurrentHashMap.newKeySet(),
                new ArrayBlockingQueue<>(LOOKAHEAD), new AtomicBoolean());
        List<TableCopy> tables = manifest.tables().stream().map(TableCopy::new).toList();
        ExecutorService lister = Executors.newSingleThreadExecutor(daemon("copier-lister-" + export.exportTaskId()));
        ExecutorService verifiers = Executors.newFixedThreadPool(VERIFIERS, daemon("copier-verifier-" + export.exportTaskId()));
        try {
            Future<?> listing = lister.submit(() -> listTables(export, cluster, date, tables, run, verifiers));
            copyListed(run, verifiers);
            // The lister ends on its own (the listing is done, or it saw the deadline or the stop); wait, so
            // that no table's counts change after its report.
            awaitQuietly(listing);
            failTablesNotListed(export, cluster, date, tables, verifiers);
            awaitInFlight(run);
            return report(export, manifest, tables, started);
        } finally {
            lister.shutdownNow();
            verifiers.shutdownNow();
        }
    }

    /** The producer side: every table's partition check and listing, in manifest order, into the look-ahead. */
    private void listTables(ExportLocation export, String cluster, LocalDate date, List<TableCopy> tables, Run run,
            ExecutorService verifiers) {
        try {
            for (TableCopy copy : tables) {
                if (run.stopped().get() || clock.instant().isAfter(run.deadline())) {
                    return;
                }
                listTable(export, cluster, date, copy, run, verifiers);
            }
            run.put(Listed.END_OF_EXPORT);
        } catch (ListingStopped e) {
            // The copies stopped (the deadline): the remaining tables are reported by the copying side.
        } catch (RuntimeException | Error e) {
            // A defect, not an S3 failure (those fail their table): end the copies now rather than at the
            // copy-timeout; awaiting the listing then rethrows it.
            run.put(Listed.END_OF_EXPORT);
            throw e;
        }
    }

    private void listTable(ExportLocation export, String cluster, LocalDate date, TableCopy copy, Run run,
            ExecutorService verifiers) {
        if (!prepare(export, cluster, date, copy)) {
            return;
        }
        String tableFolder = export.tableFolder(copy.table);
        // The partition check and the listing's first page go out together: one round trip before the first copy, not two.
        CompletableFuture<Boolean> partitionCheck = CompletableFuture.supplyAsync(
                () -> store.anyUnder(lake.bucket(), copy.partition), verifiers);
        try {
            store.list(export.bucket(), tableFolder, source -> {
                if (!source.key().endsWith(LakeLayout.PARQUET_SUFFIX)) {
                    return;
                }
                if (run.stopped().get() || clock.instant().isAfter(run.deadline())) {
                    throw new ListingStopped();
                }
                copy.tally.found(source.size());
                String target;
                try {
                    target = lake.targetKey(copy.partition, source.key().substring(tableFolder.length()));
                } catch (UnsafeKeyException e) {
                    copy.tally.fail(e.getMessage());
                    return;
                }
                // Known before the table's first file is handed over (copies read it), and waited for then only.
                copy.partitionHasObjects = partitionHasObjects(partitionCheck);
                run.put(new Listed(copy, source, target));
            });
            partitionHasObjects(partitionCheck);
        } catch (ListingStopped e) {
            throw e;
        } catch (ObjectStoreUnavailableException e) {
            copy.tally.failByOutage("listing s3://" + export.bucket() + "/" + tableFolder + " failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            copy.tally.fail("listing s3://" + export.bucket() + "/" + tableFolder + " failed: " + e.getMessage());
        }
        run.put(Listed.endOf(copy));
    }

    /** The partition check's answer, or what it threw (an outage, say), as if it had been called here. */
    private static boolean partitionHasObjects(CompletableFuture<Boolean> partitionCheck) {
        try {
            return partitionCheck.join();
        } catch (CompletionException e) {
            if (unwrap(e) instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /**
     * Reports at once a table that is not to be copied (skipped by the export, or with a name the lake
     * cannot hold); otherwise works out its partition and answers true.
     */
    private boolean prepare(ExportLocation export, String cluster, LocalDate date, TableCopy copy) {
        copy.prepared = true;
        ExportTable table = copy.table;
        if (!table.isComplete()) {
            copy.finishEarly(() -> {
                countFiles(export, table, copy.tally);
                return copy.tally.report(table, TableCopyStatus.SKIPPED_BY_EXPORT, null, table.warningMessage() != null
                        ? table.warningMessage()
                        : "the export reported status " + table.exportStatus() + " for this table: not copied");
            });
            return false;
        }
        try {
            copy.partition = lake.exportPrefix(cluster, table, date, export.exportTaskId());
            return true;
        } catch (UnsafeKeyException e) {
            copy.finishEarly(() -> copy.tally.report(table, TableCopyStatus.FAILED, null, "refused: " + e.getMessage()));
            return false;
        }
    }

    /** The consumer side: takes listed files in order and copies each once a slot is free, until the listing's end or the deadline. */
    private void copyListed(Run run, ExecutorService verifiers) {
        try {
            while (true) {
                Listed next = run.take(clock);
                if (next == Listed.END_OF_EXPORT) {
                    return;
                }
                if (next.source() == null) {
                    next.table().listed = true;
                    next.table().stepDone(this, verifiers);
                    continue;
                }
                if (clock.instant().isAfter(run.deadline())) {
                    throw new DeadlineReached();
                }
                run.acquireSlot(clock);
                copyFile(next, run, verifiers);
            }
        } catch (DeadlineReached e) {
            run.stopped().set(true);
        }
    }

    /**
     * At the deadline, the tables whose files were not all handed to copies (the one being copied, and those
     * after it) fail with the copy-timeout; their copies in flight are then cancelled and counted too. Runs
     * once the lister has ended.
     */
    private void failTablesNotListed(ExportLocation export, String cluster, LocalDate date, List<TableCopy> tables,
            ExecutorService verifiers) {
        for (TableCopy copy : tables) {
            if (copy.listed || copy.prepared && copy.partition == null || !copy.prepared && !prepare(export, cluster, date, copy)) {
                continue;
            }
            copy.tally.fail(timeoutMessage());
            copy.listed = true;
            copy.stepDone(this, verifiers);
        }
    }

    private void copyFile(Listed file, Run run, ExecutorService verifiers) {
        TableCopy copy = file.table();
        StoredObject source = file.source();
        copy.steps.incrementAndGet();
        copyOne(source, file.target(), copy.partitionHasObjects, run).whenComplete((copied, error) -> {
            try {
                TableTally tally = copy.tally;
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
                copy.stepDone(this, verifiers);
            }
        });
    }

    /** Builds the report once every table is verified; an outage, or a failure to verify, is thrown instead. */
    private ExportCopyReport report(ExportLocation export, ExportManifest manifest, List<TableCopy> tables, Instant started) {
        List<TableReport> reports = new ArrayList<>();
        RuntimeException failure = null;
        for (TableCopy copy : tables) {
            try {
                reports.add(copy.report.join());
            } catch (CompletionException | CancellationException e) {
                Throwable cause = unwrap(e);
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
     * One table's copy. {@code steps} counts what must end before the table is verified: its listing
     * (one step, done when the copying side reaches the end of its files) and each of its copies in flight.
     */
    private static final class TableCopy {
        final ExportTable table;
        final TableTally tally = new TableTally();
        final AtomicInteger steps = new AtomicInteger(1);
        final CompletableFuture<TableReport> report = new CompletableFuture<>();
        /** Set by the lister before it lists the table's files (or, for a table it never reached, once it has ended). */
        volatile boolean prepared;
        volatile String partition;
        volatile boolean partitionHasObjects;
        /** Set by the copying side only. */
        boolean listed;

        TableCopy(ExportTable table) {
            this.table = table;
        }

        /** A table that is not copied (skipped by the export, or refused) is reported at once. */
        void finishEarly(Supplier<TableReport> report) {
            try {
                this.report.complete(report.get());
            } catch (RuntimeException e) {
                this.report.completeExceptionally(e);
            }
        }

        /** Ends one step; the last one hands the table to a verifier (never verified on an S3 client's I/O thread). */
        void stepDone(ExportCopier copier, ExecutorService verifiers) {
            if (steps.decrementAndGet() == 0) {
                try {
                    verifiers.execute(() -> finishEarly(() -> copier.verify(table, partition, tally)));
                } catch (RejectedExecutionException e) {
                    report.completeExceptionally(e);
                }
            }
        }
    }

    /** A listed file handed from the lister to the copies; without a source, the end of a table's files. */
    private record Listed(TableCopy table, StoredObject source, String target) {
        static final Listed END_OF_EXPORT = new Listed(null, null, null);

        static Listed endOf(TableCopy table) {
            return new Listed(table, null, null);
        }
    }

    /** One export's copy: the slots that bound copies in flight, the copy-timeout's deadline, what is in flight, and the look-ahead. */
    private record Run(Semaphore slots, Instant deadline, Set<CompletableFuture<?>> inFlight, BlockingQueue<Listed> lookahead,
            AtomicBoolean stopped) {

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

        /** The next listed file, waiting at most until the deadline. */
        Listed take(Clock clock) {
            long remaining = Duration.between(clock.instant(), deadline).toNanos();
            try {
                Listed next = remaining <= 0 ? lookahead.poll() : lookahead.poll(remaining, TimeUnit.NANOSECONDS);
                if (next == null) {
                    throw new DeadlineReached();
                }
                return next;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DeadlineReached();
            }
        }

        /** Hands a listed file to the copies, waiting for room; gives up once the copies have stopped. */
        void put(Listed file) {
            try {
                while (!lookahead.offer(file, 50, TimeUnit.MILLISECONDS)) {
                    if (stopped.get()) {
                        throw new ListingStopped();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ListingStopped();
            }
        }

        /** Keeps {@code request} cancellable until it completes: at the deadline every request still in flight is cancelled. */
        <T> CompletableFuture<T> track(CompletableFuture<T> request) {
            inFlight.add(request);
            request.whenComplete((value, error) -> inFlight.remove(request));
            return request;
        }
    }

    /** The copying side reached the copy-timeout. */
    private static final class DeadlineReached extends RuntimeException {
        DeadlineReached() {
            super(null, null, false, false);
        }
    }

    /** Thrown from the lister's visitor to stop the listing once the copies have stopped or the deadline is reached. */
    private static final class ListingStopped extends RuntimeException {
        ListingStopped() {
            super(null, null, false, false);
        }
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
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
    private void awaitInFlight(Run run) {
        Semaphore slots = run.slots();
        long remaining = Math.max(0, Duration.between(clock.instant(), run.deadline()).toNanos());
        boolean allDone;
        try {
            allDone = slots.tryAcquire(concurrency, remaining, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            allDone = false;
        }
        if (!allDone) {
            // Cancelling completes each request's future at once, which releases its slot.
            List.copyOf(run.inFlight()).forEach(request -> request.cancel(true));
            slots.acquireUninterruptibly(concurrency);
        }
        slots.release(concurrency);
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
