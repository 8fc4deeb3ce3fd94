package io.snaplake.parquetcopier.domain;

/** A key (or a name that becomes part of one) that would escape its folder in the lake. Never copied. */
public class UnsafeKeyException extends RuntimeException {

    public UnsafeKeyException(String message) {
        super(message);
    }
}
