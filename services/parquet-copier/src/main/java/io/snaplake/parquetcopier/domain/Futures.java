package io.snaplake.parquetcopier.domain;

import java.util.concurrent.CompletionException;

/** Small helpers for the copier's asynchronous requests. */
public final class Futures {

    private Futures() {
    }

    /** What a future failed with: the cause of a {@link CompletionException}, or the error itself. */
    public static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
