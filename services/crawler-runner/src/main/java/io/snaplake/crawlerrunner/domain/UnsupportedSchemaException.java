package io.snaplake.crawlerrunner.domain;

/** A Parquet schema that cannot be catalogued as it is (e.g. two columns that differ only in case). */
public final class UnsupportedSchemaException extends RuntimeException {

    public UnsupportedSchemaException(String message) {
        super(message);
    }
}
