package io.snaplake.parquetcopier.domain;

/**
 * How one table of an export was copied.
 *
 * @param location s3:// location of the table's date partition in the lake (null if none could be made)
 * @param message  why the table failed or was skipped; null when copied
 */
public record TableReport(String database, String table, TableCopyStatus status, String exportStatus, String location,
        long filesFound, long bytesFound, long filesCopied, long bytesCopied, long filesAlreadyPresent,
        long bytesAlreadyPresent, String message) {
}
