package io.snaplake.parquetcopier.domain;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The object storage the copier needs (S3 in production). Implementations retry throttling and
 * transient errors themselves; a failure that reaches the caller is final for this attempt, and an
 * {@link ObjectStoreUnavailableException} when the store itself is the problem (an outage, refused
 * credentials), so that the caller waits it out instead of failing the export.
 */
public interface ObjectStore {

    /** Visits every object under {@code prefix} in key order, one page at a time: memory holds one page, whatever the count. */
    void list(String bucket, String prefix, Consumer<StoredObject> visitor);

    /** True if at least one object exists under {@code prefix}. */
    boolean anyUnder(String bucket, String prefix);

    /** The object's bytes, or empty if there is no such key. For small files (export metadata). */
    Optional<byte[]> read(String bucket, String key);

    /** The object's size, ETag and recorded source ETag, or empty if there is no such key. */
    CompletableFuture<Optional<StoredObject>> head(String bucket, String key);

    /** Server-side copy of {@code source} to {@code targetBucket/targetKey}, recording the source's ETag on the copy. */
    CompletableFuture<Void> copy(StoredObject source, String targetBucket, String targetKey);
}
