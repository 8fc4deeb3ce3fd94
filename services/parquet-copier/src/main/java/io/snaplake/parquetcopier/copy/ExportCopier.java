package io.snaplake.parquetcopier.copy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
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
     * @param copyTimeout no new copy starts after this much time; the export is then reported incomplete
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
                partition = lake.partitionPrefix(cluster, table, date);
            } catch (UnsafeKeyException e) {
                early.add(tally.report(table, TableCopyStatus.FAILED, null, "refused: " + e.getMessage()));
                continue;
            }
            tallies.put(table, tally);
            partitions.put(table, partition);
            try {
                copyTable(export, table, partition, tally, slots, deadline);
            } catch (RuntimeException e) {
                tally.fail("listing s3://" + export.bucket() + "/" + export.tableFolder(table) + " failed: " + e.getMessage());
            }
        }
        awaitInFlight(slots);

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

    private void copyTable(ExportLocation export, ExportTable table, String partition, TableTally tally, Semaphore slots,
            Instant deadline) {
        String tableFolder = export.tableFolder(table);
        boolean partitionHasObjects = store.anyUnder(lake.bucket(), partition);
        AtomicLong late = new AtomicLong();
        store.list(export.bucket(), tableFolder, source -> {
            if (!source.key().endsWith(LakeLayout.PARQUET_SUFFIX)) {
                return;
            }
            tally.found(source.size());
            String target;
            try {
                target = lake.targetKey(partition, source.key().substring(tableFolder.length()));
            } catch (UnsafeKeyException e) {
                tally.fail(e.getMessage());
                return;
            }
            if (clock.instant().isAfter(deadline)) {
                if (late.getAndIncrement() == 0) {
                    tally.fail("copy-timeout " + copyTimeout + " reached before every file was copied; a re-run resumes");
                }
                return;
            }
            slots.acquireUninterruptibly();
            copyOne(source, target, partitionHasObjects).whenComplete((copied, error) -> {
                try {
                    if (error != null) {
                        tally.fail("s3://" + source.bucket() + "/" + source.key() + ": " + error.getMessage());
                    } else if (copied) {
                        tally.copied(source.size());
                        metrics.copied(source.size());
                    } else {
                        tally.alreadyPresent(source.size());
                        metrics.alreadyPresent(source.size());
                    }
                } finally {
                    // Released only after the tally is updated: awaiting all slots then means every result is counted.
                    slots.release();
                }
            });
        });
    }

    /** Completes with true if copied, false if an identical object was already there. */
    private CompletableFuture<Boolean> copyOne(StoredObject source, String target, boolean compareFirst) {
        try {
            if (!compareFirst) {
                return store.copy(source, lake.bucket(), target).thenApply(done -> true);
            }
            return store.head(lake.bucket(), target).thenCompose(existing -> existing.isPresent() && existing.get().isCopyOf(source)
                    ? CompletableFuture.completedFuture(false)
                    : store.copy(source, lake.bucket(), target).thenApply(done -> true));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void awaitInFlight(Semaphore slots) {
        slots.acquireUninterruptibly(concurrency);
        slots.release(concurrency);
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
