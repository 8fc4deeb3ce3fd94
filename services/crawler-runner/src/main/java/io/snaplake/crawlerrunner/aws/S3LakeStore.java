package io.snaplake.crawlerrunner.aws;

import io.snaplake.crawlerrunner.domain.CatalogAccessDeniedException;
import io.snaplake.crawlerrunner.domain.CatalogUnavailableException;
import io.snaplake.crawlerrunner.domain.Column;
import io.snaplake.crawlerrunner.domain.LakeFile;
import io.snaplake.crawlerrunner.domain.LakeStore;
import io.snaplake.crawlerrunner.domain.ParquetTypes;
import io.snaplake.crawlerrunner.domain.UnreadableFileException;
import io.snaplake.crawlerrunner.domain.UnsupportedSchemaException;
import io.snaplake.pipeline.retry.RetryPolicy;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.parquet.format.converter.ParquetMetadataConverter;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;

/**
 * {@link LakeStore} on S3's async client. A footer is read with one ranged GET of the file's last
 * {@code footerReadSize} bytes (a second one when the footer is larger), never the whole object, so many
 * footers are read in parallel with little traffic. Requests are retried like Glue's ({@link AwsCalls}).
 */
public final class S3LakeStore implements LakeStore {

    private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

    private final S3AsyncClient s3;
    private final RetryPolicy retry;
    private final ScheduledExecutorService scheduler;
    private final int footerReadSize;

    public S3LakeStore(S3AsyncClient s3, RetryPolicy retry, ScheduledExecutorService scheduler, int footerReadSize) {
        this.s3 = s3;
        this.retry = retry;
        this.scheduler = scheduler;
        this.footerReadSize = footerReadSize;
    }

    @Override
    public List<LakeFile> listFolder(String bucket, String prefix) {
        List<LakeFile> files = new ArrayList<>();
        String token = null;
        do {
            String continuation = token;
            ListObjectsV2Response page = join(call("s3:ListBucket", () -> s3.listObjectsV2(list -> list.bucket(bucket).prefix(prefix)
                    .delimiter("/").continuationToken(continuation))));
            page.contents().forEach(object -> files.add(new LakeFile(bucket, object.key(), object.size())));
            token = page.isTruncated() ? page.nextContinuationToken() : null;
        } while (token != null);
        return files;
    }

    @Override
    public CompletableFuture<List<Column>> columns(LakeFile file) {
        if (file.size() < 12) {
            return CompletableFuture.failedFuture(new UnreadableFileException(file.uri() + " is not Parquet: " + file.size() + " bytes", null));
        }
        long first = Math.max(0, file.size() - footerReadSize);
        return range(file, first, file.size() - 1).thenCompose(tail -> {
            int tailLength = tail.length;
            if (!endsWithMagic(tail)) {
                throw new UnreadableFileException(file.uri() + " is not Parquet (no PAR1 at its end"
                        + (new String(tail, tailLength - 4, 4, StandardCharsets.US_ASCII).equals("PARE") ? "; its footer is encrypted" : "") + ")", null);
            }
            int footerLength = ByteBuffer.wrap(tail, tailLength - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
            if (footerLength <= 0 || footerLength > file.size() - 12) {
                throw new UnreadableFileException(file.uri() + " is not Parquet: footer length " + footerLength, null);
            }
            if (footerLength + 8 <= tailLength) {
                return CompletableFuture.completedFuture(parse(file, tail, tailLength - 8 - footerLength, footerLength));
            }
            long footerStart = file.size() - 8 - footerLength;
            return range(file, footerStart, file.size() - 9).thenApply(footer -> parse(file, footer, 0, footer.length));
        });
    }

    @Override
    public int deleteUnder(String bucket, String prefix, String keepPrefix) {
        List<ObjectIdentifier> doomed = new ArrayList<>();
        String token = null;
        do {
            String continuation = token;
            ListObjectsV2Response page = join(call("s3:ListBucket", () -> s3.listObjectsV2(list -> list.bucket(bucket).prefix(prefix)
                    .continuationToken(continuation))));
            page.contents().stream().filter(object -> keepPrefix == null || !object.key().startsWith(keepPrefix))
                    .forEach(object -> doomed.add(ObjectIdentifier.builder().key(object.key()).build()));
            token = page.isTruncated() ? page.nextContinuationToken() : null;
        } while (token != null);
        for (int from = 0; from < doomed.size(); from += 1000) {
            List<ObjectIdentifier> batch = doomed.subList(from, Math.min(doomed.size(), from + 1000));
            var response = join(call("s3:DeleteObject", () -> s3.deleteObjects(delete -> delete.bucket(bucket)
                    .delete(d -> d.objects(batch).quiet(true)))));
            if (!response.errors().isEmpty()) {
                throw new IllegalStateException("could not delete " + response.errors().size() + " replaced object(s) under s3://"
                        + bucket + "/" + prefix + ", e.g. " + response.errors().get(0).key() + ": " + response.errors().get(0).message());
            }
        }
        return doomed.size();
    }

    private CompletableFuture<byte[]> range(LakeFile file, long first, long last) {
        return call("s3:GetObject", () -> s3.getObject(get -> get.bucket(file.bucket()).key(file.key()).range("bytes=" + first + "-" + last),
                AsyncResponseTransformer.toBytes())).thenApply(response -> response.asByteArray());
    }

    private static List<Column> parse(LakeFile file, byte[] bytes, int offset, int length) {
        try {
            return ParquetTypes.columns(new ParquetMetadataConverter()
                    .readParquetMetadata(new ByteArrayInputStream(bytes, offset, length), ParquetMetadataConverter.NO_FILTER)
                    .getFileMetaData().getSchema());
        } catch (IOException | RuntimeException e) {
            if (e instanceof UnsupportedSchemaException unsupported) {
                throw new UnreadableFileException(file.uri() + ": " + unsupported.getMessage(), e);
            }
            throw new UnreadableFileException(file.uri() + " has an unreadable Parquet footer: " + e, e);
        }
    }

    private static boolean endsWithMagic(byte[] tail) {
        int n = tail.length;
        return n >= 8 && tail[n - 4] == MAGIC[0] && tail[n - 3] == MAGIC[1] && tail[n - 2] == MAGIC[2] && tail[n - 1] == MAGIC[3];
    }

    /** One request with retries of throttling, 5xx and I/O errors, scheduled (no thread waits). */
    private <T> CompletableFuture<T> call(String permission, Supplier<CompletableFuture<T>> request) {
        CompletableFuture<T> result = new CompletableFuture<>();
        attempt(permission, request, 1, result);
        return result;
    }

    private <T> void attempt(String permission, Supplier<CompletableFuture<T>> request, int attempt, CompletableFuture<T> result) {
        CompletableFuture<T> call;
        try {
            call = request.get();
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        call.whenComplete((value, error) -> {
            if (error == null) {
                result.complete(value);
                return;
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (AwsCalls.isDenied(cause)) {
                result.completeExceptionally(new CatalogAccessDeniedException(AwsCalls.deniedPermission(cause, permission),
                        cause.getMessage(), cause));
            } else if (!AwsCalls.isTransient(cause)) {
                result.completeExceptionally(cause);
            } else if (attempt >= retry.maxAttempts()) {
                result.completeExceptionally(new CatalogUnavailableException(permission + " failed " + attempt
                        + " times in a row (throttled or unavailable): " + cause.getMessage(), cause));
            } else {
                scheduler.schedule(() -> attempt(permission, request, attempt + 1, result), retry.backoff(attempt).toMillis(),
                        TimeUnit.MILLISECONDS);
            }
        });
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }
}
