package io.snaplake.parquetcopier.domain;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One table's copy. {@code steps} counts what must end before the table is verified: its listing
 * (one step, done when the copying side reaches the end of its files) and each of its copies in flight.
 */
final class TableCopy {

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
    void stepDone(CopyRun run) {
        if (steps.decrementAndGet() == 0) {
            try {
                run.verifiers.execute(() -> finishEarly(() -> run.verifier.verify(table, partition, tally)));
            } catch (RejectedExecutionException e) {
                report.completeExceptionally(e);
            }
        }
    }
}
