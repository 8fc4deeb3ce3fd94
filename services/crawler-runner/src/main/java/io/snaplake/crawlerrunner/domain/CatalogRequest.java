package io.snaplake.crawlerrunner.domain;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * One copied export to catalogue: the snapshot it came from (to decide which of two exports of a day wins),
 * and its tables with their lake locations.
 *
 * @param snapshotCreatedAt epoch millis, or null when unknown
 */
public record CatalogRequest(String cluster, String snapshotId, String snapshotArn, Long snapshotCreatedAt, LocalDate date,
        String exportTaskId, String lakeBucket, List<CopiedTable> tables) {

    public CatalogRequest {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(exportTaskId, "exportTaskId");
        Objects.requireNonNull(lakeBucket, "lakeBucket");
        tables = List.copyOf(tables);
    }

    /**
     * A table of the export.
     *
     * @param copied   true if the copier copied and verified it
     * @param location s3:// location of the table-day's files, exactly as the copier reported it
     * @param message  the copier's reason when not copied
     */
    public record CopiedTable(String database, String table, boolean copied, String location, String message) {
    }
}
