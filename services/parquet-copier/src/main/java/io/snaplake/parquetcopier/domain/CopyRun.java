package io.snaplake.parquetcopier.domain;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One export's copy in progress: the export and its day, the copy-timeout's deadline, the slots that bound
 * the copies in flight, the look-ahead of listed files between the lister and the copies, what is in
 * flight, and the verifiers its tables are handed to.
 */
final class CopyRun {

    final ExportLocation export;
    final String cluster;
    final LocalDate date;
    final Instant deadline;
    final Semaphore slots;
    final TableVerifier verifier;
    final ExecutorService verifiers;
    private final Duration copyTimeout;
    private final Set<CompletableFuture<?>> inFlight = ConcurrentHashMap.newKeySet();
    private final BlockingQueue<ListedFile> lookahead = new ArrayBlockingQueue<>(ExportCopier.LOOKAHEAD);
    private final AtomicBoolean stopped = new AtomicBoolean();

    CopyRun(ExportLocation export, String cluster, LocalDate date, int concurrency, Instant started, Duration copyTimeout,
            TableVerifier verifier, ExecutorService verifiers) {
        this.export = export;
        this.cluster = cluster;
        this.date = date;
        this.slots = new Semaphore(concurrency);
        this.deadline = started.plus(copyTimeout);
        this.copyTimeout = copyTimeout;
        this.verifier = verifier;
        this.verifiers = verifiers;
    }

    /** True once the copies have stopped or the deadline has passed: the lister then lists no further. */
    boolean isOver(Clock clock) {
        return stopped.get() || clock.instant().isAfter(deadline);
    }

    /** The copying side stops: the lister gives up at its next file or hand-over. */
    void stop() {
        stopped.set(true);
    }

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
    ListedFile take(Clock clock) {
        long remaining = Duration.between(clock.instant(), deadline).toNanos();
        try {
            ListedFile next = remaining <= 0 ? lookahead.poll() : lookahead.poll(remaining, TimeUnit.NANOSECONDS);
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
    void put(ListedFile file) {
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

    /** Cancels every request still in flight; cancelling completes each request's future at once, which releases its slot. */
    void cancelInFlight() {
        List.copyOf(inFlight).forEach(request -> request.cancel(true));
    }

    String timeoutMessage() {
        return "copy-timeout " + copyTimeout + " reached before every file was copied; a re-run resumes";
    }

    /** The copying side reached the copy-timeout. */
    static final class DeadlineReached extends RuntimeException {
        DeadlineReached() {
            super(null, null, false, false);
        }
    }

    /** Thrown from the lister's visitor to stop the listing once the copies have stopped or the deadline is reached. */
    static final class ListingStopped extends RuntimeException {
        ListingStopped() {
            super(null, null, false, false);
        }
    }
}
