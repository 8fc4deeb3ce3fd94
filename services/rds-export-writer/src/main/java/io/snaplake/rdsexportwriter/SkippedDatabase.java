package io.snaplake.rdsexportwriter;

/** A database the export skipped as a whole (e.g. missing permissions), reported with a warning. */
public record SkippedDatabase(String database, String warningMessage) {
}
