package io.snaplake.parquetcopier.domain;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Checks a copied table: its lake partition is listed, and must hold exactly the Parquet files and bytes the
 * export's listing had, and nothing else; anything else fails the table with the numbers.
 */
record TableVerifier(ObjectStore store, LakeLayout lake) {

    TableReport verify(ExportTable table, String partition, TableTally tally) {
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
