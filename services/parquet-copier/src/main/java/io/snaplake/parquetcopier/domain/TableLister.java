package io.snaplake.parquetcopier.domain;

import io.snaplake.parquetcopier.domain.CopyRun.ListingStopped;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The producer side of an export's copy: walks the tables in manifest order, and for each checks whether its
 * lake partition already holds objects and lists its Parquet files into the run's look-ahead, a page at a time.
 */
record TableLister(ObjectStore store, LakeLayout lake, Clock clock) {

    /** Every table's partition check and listing, in manifest order, into the look-ahead; runs on the lister thread. */
    void listTables(List<TableCopy> tables, CopyRun run) {
        try {
            for (TableCopy copy : tables) {
                if (run.isOver(clock)) {
                    return;
                }
                listTable(copy, run);
            }
            run.put(ListedFile.END_OF_EXPORT);
        } catch (ListingStopped e) {
            // The copies stopped (the deadline): the remaining tables are reported by the copying side.
        } catch (RuntimeException | Error e) {
            // A defect, not an S3 failure (those fail their table): end the copies now rather than at the
            // copy-timeout; awaiting the listing then rethrows it.
            run.put(ListedFile.END_OF_EXPORT);
            throw e;
        }
    }

    private void listTable(TableCopy copy, CopyRun run) {
        if (!prepare(copy, run)) {
            return;
        }
        ExportLocation export = run.export;
        String tableFolder = export.tableFolder(copy.table);
        // The partition check and the listing's first page go out together: one round trip before the first copy, not two.
        CompletableFuture<Boolean> partitionCheck = CompletableFuture.supplyAsync(
                () -> store.anyUnder(lake.bucket(), copy.partition), run.verifiers);
        try {
            store.list(export.bucket(), tableFolder, source -> {
                if (!source.key().endsWith(LakeLayout.PARQUET_SUFFIX)) {
                    return;
                }
                if (run.isOver(clock)) {
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
                run.put(new ListedFile(copy, source, target));
            });
            partitionHasObjects(partitionCheck);
        } catch (ListingStopped e) {
            throw e;
        } catch (ObjectStoreUnavailableException e) {
            copy.tally.failByOutage("listing s3://" + export.bucket() + "/" + tableFolder + " failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            copy.tally.fail("listing s3://" + export.bucket() + "/" + tableFolder + " failed: " + e.getMessage());
        }
        run.put(ListedFile.endOf(copy));
    }

    /** The partition check's answer, or what it threw (an outage, say), as if it had been called here. */
    private static boolean partitionHasObjects(CompletableFuture<Boolean> partitionCheck) {
        try {
            return partitionCheck.join();
        } catch (CompletionException e) {
            if (Futures.unwrap(e) instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /**
     * At the deadline, the tables whose files were not all handed to copies (the one being copied, and those
     * after it) fail with the copy-timeout; their copies in flight are then cancelled and counted too. Runs
     * once the lister has ended.
     */
    void failTablesNotListed(List<TableCopy> tables, CopyRun run) {
        for (TableCopy copy : tables) {
            if (copy.listed || copy.prepared && copy.partition == null || !copy.prepared && !prepare(copy, run)) {
                continue;
            }
            copy.tally.fail(run.timeoutMessage());
            copy.listed = true;
            copy.stepDone(run);
        }
    }

    /**
     * Reports at once a table that is not to be copied (skipped by the export, or with a name the lake
     * cannot hold); otherwise works out its partition and answers true.
     */
    private boolean prepare(TableCopy copy, CopyRun run) {
        copy.prepared = true;
        ExportTable table = copy.table;
        if (!table.isComplete()) {
            copy.finishEarly(() -> {
                countFiles(run.export, table, copy.tally);
                return copy.tally.report(table, TableCopyStatus.SKIPPED_BY_EXPORT, null, table.warningMessage() != null
                        ? table.warningMessage()
                        : "the export reported status " + table.exportStatus() + " for this table: not copied");
            });
            return false;
        }
        try {
            copy.partition = lake.exportPrefix(run.cluster, table, run.date, run.export.exportTaskId());
            return true;
        } catch (UnsafeKeyException e) {
            copy.finishEarly(() -> copy.tally.report(table, TableCopyStatus.FAILED, null, "refused: " + e.getMessage()));
            return false;
        }
    }

    private void countFiles(ExportLocation export, ExportTable table, TableTally tally) {
        store.list(export.bucket(), export.tableFolder(table), object -> {
            if (object.key().endsWith(LakeLayout.PARQUET_SUFFIX)) {
                tally.found(object.size());
            }
        });
    }
}
