package io.snaplake.crawlerrunner.domain;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The lake's objects, as the registrar needs them. One S3-backed implementation; tests use it against moto. */
public interface LakeStore {

    /** The objects directly in the folder {@code prefix} (ending with a slash), not in its sub-folders. */
    List<LakeFile> listFolder(String bucket, String prefix);

    /**
     * The columns of a Parquet file, read from its footer with ranged GETs (never the whole object).
     * Completes exceptionally with {@link UnreadableFileException} when the file is not readable Parquet.
     */
    CompletableFuture<List<Column>> columns(LakeFile file);

    /** Deletes every object under {@code prefix} except those under {@code keepPrefix}; returns how many were deleted. */
    int deleteUnder(String bucket, String prefix, String keepPrefix);
}
