package io.snaplake.cli.ops;

import io.snaplake.events.CatalogedTable;
import io.snaplake.events.CrawlCompleted;
import io.snaplake.events.ExportCompleted;
import io.snaplake.events.ParquetCopied;
import io.snaplake.events.SnapshotCreated;
import io.snaplake.events.TableCopyResult;
import io.snaplake.events.TableCatalogStatus;
import io.snaplake.events.TablesShared;
import org.apache.avro.specific.SpecificRecord;

/** What a stage's completion event says about the size of its work, in a few words. */
public final class EventSizes {

    private EventSizes() {
    }

    public static String describe(SpecificRecord event) {
        if (event instanceof SnapshotCreated created) {
            return "via " + created.getDiscoveredBy().toString().toLowerCase();
        }
        if (event instanceof ExportCompleted export) {
            return export.getTotalExtractedDataInGb() == null ? "" : export.getTotalExtractedDataInGb() + " GB extracted";
        }
        if (event instanceof ParquetCopied copied) {
            long files = copied.getTables().stream().mapToLong(TableCopyResult::getFilesCopied).sum();
            long present = copied.getTables().stream().mapToLong(TableCopyResult::getFilesAlreadyPresent).sum();
            long bytes = copied.getTables().stream().mapToLong(t -> t.getBytesCopied() + t.getBytesAlreadyPresent()).sum();
            return String.format("%d files copied%s, %s", files, present == 0 ? "" : " (+" + present + " there)", bytes(bytes));
        }
        if (event instanceof CrawlCompleted crawl) {
            long catalogued = crawl.getTableResults().stream().filter(EventSizes::catalogued).count();
            if (crawl.getTableResults().isEmpty()) {
                catalogued = crawl.getTables().size();
            }
            long failed = crawl.getTableResults().stream().filter(t -> t.getStatus() == TableCatalogStatus.FAILED).count();
            return catalogued + " tables catalogued" + (failed == 0 ? "" : ", " + failed + " failed");
        }
        if (event instanceof TablesShared shared) {
            int filtered = shared.getFilteredTables().size();
            return (shared.getPublicTables().size() + filtered) + " tables shared" + (filtered == 0 ? "" : " (" + filtered + " filtered)");
        }
        return "";
    }

    private static boolean catalogued(CatalogedTable table) {
        return table.getStatus() == TableCatalogStatus.CREATED || table.getStatus() == TableCatalogStatus.UPDATED
                || table.getStatus() == TableCatalogStatus.UNCHANGED;
    }

    public static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format("%.1f %s", value, units[unit]);
    }
}
