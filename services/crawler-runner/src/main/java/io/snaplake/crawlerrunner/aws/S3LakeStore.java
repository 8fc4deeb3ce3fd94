package io.snaplake.crawlerrunner.aws;

import io.snaplake.crawlerrunner.domain.Column;
import io.snaplake.crawlerrunner.domain.Futures;
import io.snaplake.crawlerrunner.domain.LakeFile;
import io.snaplake.crawlerrunner.domain.LakeStore;
import io.snaplake.crawlerrunner.domain.ParquetFooter;
import io.snaplake.crawlerrunner.domain.UnreadableFileException;
import io.snaplake.pipeline.retry.RetryPolicy;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@link LakeStore} on S3's async client. A footer is read with one ranged GET of the file's last
 * {@code footerReadSize} bytes (a second one when the footer is larger), never the whole object.
 * Requests are retried like Glue's ({@link AwsCalls}), on the scheduler.
 */
public final class S3LakeStore implements LakeStore {

    private static final int MAX_KEYS_PER_DELETE = 1000;

    private final S3AsyncClient s3;
    private final AwsCalls calls;
    private final ScheduledExecutorService scheduler;
    private final int footerReadSize;

    public S3LakeStore(S3AsyncClient s3, RetryPolicy retry, ScheduledExecutorService scheduler, int footerReadSize) {
        this.s3 = s3;
        this.calls = new AwsCalls(retry);
        this.scheduler = scheduler;
        this.footerReadSize = footerReadSize;
    }

    @Override
    public List<LakeFile> listFolder(String bucket, String prefix) {
        return list(bucket, prefix, "/").stream().map(object -> new LakeFile(bucket, object.key(), object.size())).toList();
    }

    @Override
    public CompletableFuture<List<Column>> columns(LakeFile file) {
        try {
            ParquetFooter.checkSize(file);
        } catch (UnreadableFileException e) {
            return CompletableFuture.failedFuture(e);
        }
        long end = file.size() - ParquetFooter.TRAILER_LENGTH; // where the footer ends
        return range(file, Math.max(0, file.size() - footerReadSize), file.size() - 1).thenCompose(tail -> {
            int length = ParquetFooter.length(file, tail);
            int inTail = tail.length - ParquetFooter.TRAILER_LENGTH - length;
            if (inTail >= 0) {
                return CompletableFuture.completedFuture(ParquetFooter.columns(file, tail, inTail, length));
            }
            return range(file, end - length, end - 1).thenApply(footer -> ParquetFooter.columns(file, footer, 0, footer.length));
        });
    }

    @Override
    public int deleteUnder(String bucket, String prefix, String keepPrefix) {
        List<ObjectIdentifier> doomed = list(bucket, prefix, null).stream()
                .filter(object -> keepPrefix == null || !object.key().startsWith(keepPrefix))
                .map(object -> ObjectIdentifier.builder().key(object.key()).build()).toList();
        for (int from = 0; from < doomed.size(); from += MAX_KEYS_PER_DELETE) {
            List<ObjectIdentifier> batch = doomed.subList(from, Math.min(doomed.size(), from + MAX_KEYS_PER_DELETE));
            var response = Futures.join(call("s3:DeleteObject", () -> s3.deleteObjects(delete -> delete.bucket(bucket)
                    .delete(d -> d.objects(batch).quiet(true)))));
            if (!response.errors().isEmpty()) {
                throw new IllegalStateException("could not delete " + response.errors().size() + " replaced object(s) under s3://"
                        + bucket + "/" + prefix + ", e.g. " + response.errors().get(0).key() + ": " + response.errors().get(0).message());
            }
        }
        return doomed.size();
    }

    /** The objects under {@code prefix}, every page; with a {@code delimiter}, only those not in a sub-folder. */
    private List<S3Object> list(String bucket, String prefix, String delimiter) {
        return AwsCalls.allPages(token -> Futures.join(call("s3:ListBucket", () -> s3.listObjectsV2(list -> list.bucket(bucket).prefix(prefix)
                .delimiter(delimiter).continuationToken(token)))), ListObjectsV2Response::contents,
                page -> page.isTruncated() ? page.nextContinuationToken() : null);
    }

    private CompletableFuture<byte[]> range(LakeFile file, long first, long last) {
        return call("s3:GetObject", () -> s3.getObject(get -> get.bucket(file.bucket()).key(file.key()).range("bytes=" + first + "-" + last),
                AsyncResponseTransformer.toBytes())).thenApply(response -> response.asByteArray());
    }

    private <T> CompletableFuture<T> call(String permission, Supplier<CompletableFuture<T>> request) {
        return calls.callAsync(permission, request, scheduler);
    }
}
