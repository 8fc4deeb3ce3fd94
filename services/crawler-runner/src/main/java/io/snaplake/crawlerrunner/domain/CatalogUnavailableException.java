package io.snaplake.crawlerrunner.domain;

import io.snaplake.pipeline.DependencyUnavailableException;

/**
 * Glue or S3 kept answering with throttling, timeouts or server errors after every retry: an outage, not a
 * property of the input. The whole input is handled again later; nothing is reported failed.
 */
public final class CatalogUnavailableException extends DependencyUnavailableException {

    public CatalogUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
