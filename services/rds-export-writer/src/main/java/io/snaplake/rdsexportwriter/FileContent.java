package io.snaplake.rdsexportwriter;

/** What the written part files contain. */
public enum FileContent {
    /** Real gzip-compressed Parquet files with rows (the demo, and tests that read the data back). */
    PARQUET,
    /** Small opaque objects with Parquet's magic bytes: fast to write by the thousand (benchmarks). */
    SMALL_OBJECTS
}
