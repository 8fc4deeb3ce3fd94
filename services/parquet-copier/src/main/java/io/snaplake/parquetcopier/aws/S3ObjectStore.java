package io.snaplake.parquetcopier.aws;

import io.snaplake.parquetcopier.domain.Futures;
import io.snaplake.parquetcopier.domain.ObjectStore;
import io.snaplake.parquetcopier.domain.ObjectStoreUnavailableException;
import io.snaplake.parquetcopier.domain.Retrier;
import io.snaplake.parquetcopier.domain.StoredObject;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * {@link ObjectStore} on S3's async client: server-side CopyObject, or a multipart copy (UploadPartCopy)
 * above the multipart threshold (S3 refuses CopyObject above 5 GB). Every request goes through the
 * {@link Retrier}; the SDK's own retries are turned off (see {@link S3Clients}) so that retries are
 * counted and configured in one place.
 */
public final class S3ObjectStore implements ObjectStore, AutoCloseable {

    /** Metadata on each lake object: the ETag of the export file it was copied from (idempotency check). */
    public static final String SOURCE_ETAG_METADATA = "snaplake-source-etag";

    private final S3AsyncClient s3;
    private final Retrier retrier;
    private final long multipartThreshold;
    private final long partSize;

    public S3ObjectStore(S3AsyncClient s3, Retrier retrier, long multipartThreshold, long partSize) {
        this.s3 = s3;
        this.retrier = retrier;
        this.multipartThreshold = multipartThreshold;
        this.partSize = partSize;
    }

    /**
     * The service's store: a new async client ({@link S3Clients}) for {@code concurrency} copies in flight.
     *
     * @param endpoint endpoint override (moto, a proxy), or null for AWS
     */
    public static S3ObjectStore open(String region, URI endpoint, int concurrency, Retrier retrier, long multipartThreshold,
            long partSize) {
        return new S3ObjectStore(S3Clients.async(Region.of(region), endpoint, concurrency), retrier, multipartThreshold, partSize);
    }

    /** Closes the S3 client. */
    @Override
    public void close() {
        s3.close();
    }

    /** Throttling (503 SlowDown, 429), server errors (5xx), request timeouts and I/O errors. */
    public static boolean isRetryable(Throwable error) {
        if (error instanceof SdkServiceException service) {
            return service.isThrottlingException() || service.statusCode() >= 500 || service.statusCode() == 429
                    || service.statusCode() == 408;
        }
        return error instanceof SdkClientException;
    }

    /** Why a request was retried, for the retries metric: {@code throttled}, {@code http-<status>} or {@code io}. */
    public static String retryReason(Throwable cause) {
        return cause instanceof SdkServiceException service
                ? (service.isThrottlingException() ? "throttled" : "http-" + service.statusCode())
                : "io";
    }

    /**
     * An outage rather than a fault of this request: what {@link #isRetryable} retries, once the retries
     * are spent, and S3 refusing the credentials (403 AccessDenied, InvalidAccessKeyId, an expired
     * token), which a credentials glitch or a fixed role policy ends without touching the event.
     */
    public static boolean isOutage(Throwable error) {
        if (isRetryable(error)) {
            return true;
        }
        if (error instanceof AwsServiceException service) {
            String code = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
            return service.statusCode() == 403 || "ExpiredToken".equals(code) || "TokenRefreshRequired".equals(code)
                    || service.isClockSkewException();
        }
        return false;
    }

    @Override
    public void list(String bucket, String prefix, Consumer<StoredObject> visitor) {
        String token = null;
        do {
            String continuation = token;
            ListObjectsV2Response page = join(retrier.call(() -> s3.listObjectsV2(list -> list
                    .bucket(bucket).prefix(prefix).continuationToken(continuation))));
            page.contents().forEach(object -> visitor.accept(
                    StoredObject.listed(bucket, object.key(), object.size(), object.eTag())));
            token = page.isTruncated() ? page.nextContinuationToken() : null;
        } while (token != null);
    }

    @Override
    public boolean anyUnder(String bucket, String prefix) {
        return join(retrier.call(() -> s3.listObjectsV2(list -> list.bucket(bucket).prefix(prefix).maxKeys(1))))
                .keyCount() > 0;
    }

    @Override
    public Optional<byte[]> read(String bucket, String key) {
        try {
            return Optional.of(join(retrier.call(() -> s3.getObject(get -> get.bucket(bucket).key(key),
                    AsyncResponseTransformer.toBytes()))).asByteArray());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    @Override
    public CompletableFuture<Optional<StoredObject>> head(String bucket, String key) {
        return outagesNamed(retrier.call(() -> s3.headObject(head -> head.bucket(bucket).key(key))
                .thenApply(response -> Optional.of(new StoredObject(bucket, key, response.contentLength(),
                        response.eTag(), response.metadata().get(SOURCE_ETAG_METADATA))))
                .exceptionally(error -> {
                    if (Futures.unwrap(error) instanceof S3Exception s3Error && s3Error.statusCode() == 404) {
                        return Optional.empty();
                    }
                    throw error instanceof CompletionException completion ? completion : new CompletionException(error);
                })));
    }

    @Override
    public CompletableFuture<Void> copy(StoredObject source, String targetBucket, String targetKey) {
        Map<String, String> metadata = Map.of(SOURCE_ETAG_METADATA, source.etag());
        if (source.size() <= multipartThreshold) {
            CompletableFuture<CopyObjectResponse> copied = retrier.call(() -> s3.copyObject(copy -> copy
                    .sourceBucket(source.bucket()).sourceKey(source.key())
                    .destinationBucket(targetBucket).destinationKey(targetKey)
                    .metadataDirective(MetadataDirective.REPLACE)
                    .contentType("application/octet-stream")
                    .metadata(metadata)));
            return outagesNamed(Retrier.cancelling(copied.thenApply(response -> null), copied));
        }
        return outagesNamed(multipartCopy(source, targetBucket, targetKey, metadata));
    }

    /**
     * Parts are copied one after another: objects this large are rare, and the other copies keep the
     * slots busy. Cancelling the returned future does not stop the parts still to copy: they finish (or
     * fail and the upload is aborted) in the background, within their retries.
     */
    private CompletableFuture<Void> multipartCopy(StoredObject source, String targetBucket, String targetKey,
            Map<String, String> metadata) {
        return retrier.call(() -> s3.createMultipartUpload(create -> create.bucket(targetBucket).key(targetKey)
                        .contentType("application/octet-stream").metadata(metadata)))
                .thenCompose(upload -> {
                    String uploadId = upload.uploadId();
                    List<CompletedPart> parts = new ArrayList<>();
                    CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
                    int partNumber = 1;
                    for (long offset = 0; offset < source.size(); offset += partSize, partNumber++) {
                        long first = offset;
                        long last = Math.min(offset + partSize, source.size()) - 1;
                        int number = partNumber;
                        chain = chain.thenCompose(previous -> retrier.call(() -> s3.uploadPartCopy(part -> part
                                        .sourceBucket(source.bucket()).sourceKey(source.key())
                                        .destinationBucket(targetBucket).destinationKey(targetKey)
                                        .uploadId(uploadId).partNumber(number)
                                        .copySourceRange("bytes=" + first + "-" + last)))
                                .thenAccept(response -> parts.add(CompletedPart.builder().partNumber(number)
                                        .eTag(response.copyPartResult().eTag()).build())));
                    }
                    return chain
                            .thenCompose(done -> retrier.call(() -> s3.completeMultipartUpload(complete -> complete
                                    .bucket(targetBucket).key(targetKey).uploadId(uploadId)
                                    .multipartUpload(mp -> mp.parts(parts)))))
                            .<Void>thenApply(response -> null)
                            .whenComplete((done, error) -> {
                                if (error != null) {
                                    // Leave no billable orphan parts behind; the copy itself is reported failed.
                                    s3.abortMultipartUpload(abort -> abort.bucket(targetBucket).key(targetKey).uploadId(uploadId));
                                }
                            });
                });
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            Throwable cause = Futures.unwrap(e);
            if (isOutage(cause)) {
                throw unavailable(cause);
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }

    /** {@code request}, its outage failures turned into {@link ObjectStoreUnavailableException}; cancelling it cancels the request. */
    private static <T> CompletableFuture<T> outagesNamed(CompletableFuture<T> request) {
        CompletableFuture<T> named = request.handle((value, error) -> {
            if (error == null) {
                return value;
            }
            Throwable cause = Futures.unwrap(error);
            throw new CompletionException(isOutage(cause) ? unavailable(cause) : cause);
        });
        return Retrier.cancelling(named, request);
    }

    private static ObjectStoreUnavailableException unavailable(Throwable cause) {
        return new ObjectStoreUnavailableException("S3 is unavailable or refuses the service's credentials: " + cause.getMessage(), cause);
    }
}
