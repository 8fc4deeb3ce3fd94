package io.snaplake.parquetcopier.domain;

import java.time.Duration;

/** What the copier counts, for its metrics. */
public interface CopyMetrics {

    CopyMetrics NONE = new CopyMetrics() {
    };

    default void copied(long bytes) {
    }

    default void alreadyPresent(long bytes) {
    }

    default void retried(Throwable cause) {
    }

    /** One export finished copying: its objects and bytes copied, and how long it took. */
    default void exportCopied(long objects, long bytes, Duration elapsed) {
    }
}
