package io.snaplake.parquetcopier.domain;

/** How a table of an export ended. */
public enum TableCopyStatus {
    /** Every Parquet file is in the lake, verified against the export's listing. */
    COPIED,
    /** The export did not complete the table (perTableStatus status not COMPLETE): nothing copied. */
    SKIPPED_BY_EXPORT,
    /** The copier could not complete the table; the report's message says why. A re-run resumes. */
    FAILED
}
