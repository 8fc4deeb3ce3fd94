package io.snaplake.crawlerrunner.domain;

/** A per-entry error of a BatchCreatePartition call that itself succeeded. */
public record PartitionError(String date, String code, String message) {

    public static final String ALREADY_EXISTS = "AlreadyExistsException";

    public boolean alreadyExists() {
        return ALREADY_EXISTS.equals(code);
    }
}
