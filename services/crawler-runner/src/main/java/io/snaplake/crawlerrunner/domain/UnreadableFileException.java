package io.snaplake.crawlerrunner.domain;

/** A lake file whose Parquet footer cannot be read (not Parquet, truncated, encrypted, unsupported schema). */
public final class UnreadableFileException extends RuntimeException {

    public UnreadableFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
