package io.snaplake.rdsexportwriter;

/**
 * Where an export puts a table's Parquet files below the table folder. AWS documents both conventions
 * and says the naming may change again, so readers must match {@code *.gz.parquet} at any depth.
 */
public enum BatchLayout {
    /** {@code <table>/1/part-00000-<uuid>.gz.parquet}, {@code <table>/2/...}: numbered batch folders. */
    NUMBERED_BATCHES,
    /** {@code <table>/a1b2c3/part-00000-<uuid>.gz.parquet}: alphanumeric batch folders. */
    ALPHANUMERIC_BATCHES,
    /** {@code <table>/part-00000-<uuid>.gz.parquet}: the older convention, files directly in the table folder. */
    FLAT;

    /** The folder (with trailing slash, or empty) of batch {@code batch} (0-based) of a table. */
    String folder(String table, int batch) {
        return switch (this) {
            case NUMBERED_BATCHES -> (batch + 1) + "/";
            case ALPHANUMERIC_BATCHES -> Integer.toHexString((table.hashCode() & 0xfff) * 31 + batch) + "b" + batch + "/";
            case FLAT -> "";
        };
    }
}
