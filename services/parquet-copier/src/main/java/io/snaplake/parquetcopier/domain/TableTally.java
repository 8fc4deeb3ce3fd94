package io.snaplake.parquetcopier.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** Running counts of one table's copy, updated from many copies completing at once. */
final class TableTally {

    private static final int KEPT_PROBLEMS = 3;

    private final AtomicLong filesFound = new AtomicLong();
    private final AtomicLong bytesFound = new AtomicLong();
    private final AtomicLong filesCopied = new AtomicLong();
    private final AtomicLong bytesCopied = new AtomicLong();
    private final AtomicLong filesPresent = new AtomicLong();
    private final AtomicLong bytesPresent = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final List<String> problems = new ArrayList<>();
    private final AtomicReference<ObjectStoreUnavailableException> outage = new AtomicReference<>();

    void found(long bytes) {
        filesFound.incrementAndGet();
        bytesFound.addAndGet(bytes);
    }

    void copied(long bytes) {
        filesCopied.incrementAndGet();
        bytesCopied.addAndGet(bytes);
    }

    void alreadyPresent(long bytes) {
        filesPresent.incrementAndGet();
        bytesPresent.addAndGet(bytes);
    }

    /** Records a problem; the first few are kept word for word, the rest only counted (memory stays bounded). */
    void fail(String problem) {
        failures.incrementAndGet();
        synchronized (problems) {
            if (problems.size() < KEPT_PROBLEMS) {
                problems.add(problem);
            }
        }
    }

    /** Records a problem caused by an outage of the store: the export is then handled again, not reported failed. */
    void failByOutage(String problem, ObjectStoreUnavailableException cause) {
        outage.compareAndSet(null, cause);
        fail(problem);
    }

    /** The first outage this table met, if any. */
    ObjectStoreUnavailableException outage() {
        return outage.get();
    }

    boolean failed() {
        return failures.get() > 0;
    }

    long filesFound() {
        return filesFound.get();
    }

    long bytesFound() {
        return bytesFound.get();
    }

    String problemSummary() {
        synchronized (problems) {
            String kept = String.join("; ", problems);
            long more = failures.get() - problems.size();
            return failures.get() + " problem(s): " + kept + (more > 0 ? "; and " + more + " more" : "");
        }
    }

    TableReport report(ExportTable table, TableCopyStatus status, String location, String message) {
        return new TableReport(table.database(), table.table(), status, table.exportStatus(), location,
                filesFound.get(), bytesFound.get(), filesCopied.get(), bytesCopied.get(), filesPresent.get(),
                bytesPresent.get(), message);
    }
}
