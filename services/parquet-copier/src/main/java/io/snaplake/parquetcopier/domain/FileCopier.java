package io.snaplake.parquetcopier.domain;

import io.snaplake.parquetcopier.domain.CopyRun.DeadlineReached;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The consumer side of an export's copy: takes the listed files in order and copies each once one of the
 * run's slots is free (at most {@code concurrency} in flight), comparing it with its target first where the
 * partition already holds objects, and tallies every result on its table.
 */
record FileCopier(ObjectStore store, LakeLayout lake, int concurrency, CopyMetrics metrics, Clock clock) {

    /** Copies listed files until the listing's end or the deadline; at the deadline, stops the run. */
    void copyListed(CopyRun run) {
        try {
            while (true) {
                ListedFile next = run.take(clock);
                if (next == ListedFile.END_OF_EXPORT) {
                    return;
                }
                if (next.source() == null) {
                    next.table().listed = true;
                    next.table().stepDone(run);
                    continue;
                }
                if (clock.instant().isAfter(run.deadline)) {
                    throw new DeadlineReached();
                }
                run.acquireSlot(clock);
                copyFile(next, run);
            }
        } catch (DeadlineReached e) {
            run.stop();
        }
    }

    private void copyFile(ListedFile file, CopyRun run) {
        TableCopy copy = file.table();
        StoredObject source = file.source();
        copy.steps.incrementAndGet();
        copyOne(source, file.target(), copy.partitionHasObjects, run).whenComplete((copied, error) -> {
            try {
                TableTally tally = copy.tally;
                if (error != null && Futures.unwrap(error) instanceof ObjectStoreUnavailableException outage) {
                    tally.failByOutage("s3://" + source.bucket() + "/" + source.key() + ": " + outage.getMessage(), outage);
                } else if (error != null) {
                    tally.fail(isCancellation(error)
                            ? "s3://" + source.bucket() + "/" + source.key() + ": copy cancelled, " + run.timeoutMessage()
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
                run.slots.release();
                copy.stepDone(run);
            }
        });
    }

    /** Completes with true if copied, false if an identical object was already there. */
    private CompletableFuture<Boolean> copyOne(StoredObject source, String target, boolean compareFirst, CopyRun run) {
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
    void awaitInFlight(CopyRun run) {
        Semaphore slots = run.slots;
        long remaining = Math.max(0, Duration.between(clock.instant(), run.deadline).toNanos());
        boolean allDone;
        try {
            allDone = slots.tryAcquire(concurrency, remaining, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            allDone = false;
        }
        if (!allDone) {
            run.cancelInFlight();
            slots.acquireUninterruptibly(concurrency);
        }
        slots.release(concurrency);
    }

    private static boolean isCancellation(Throwable error) {
        return Futures.unwrap(error) instanceof CancellationException;
    }
}
