package io.snaplake.parquetcopier.domain;

import io.snaplake.pipeline.DependencyUnavailableException;

/**
 * S3 is throttling, failing (5xx, timeouts) beyond the per-request retries, or refusing the service's
 * credentials (expired token, access denied): an outage. The export is handled again once it is over;
 * copies already made are kept (the copy is idempotent), so nothing is lost or copied twice.
 */
public class ObjectStoreUnavailableException extends DependencyUnavailableException {

    public ObjectStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
