package io.snaplake.parquetcopier.aws;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.endpoints.Endpoint;
import software.amazon.awssdk.services.s3.endpoints.S3EndpointParams;
import software.amazon.awssdk.services.s3.endpoints.S3EndpointProvider;

/**
 * S3's endpoint rules, evaluated once per bucket (and client settings) instead of twice per request: the
 * rules never read the object's key, the prefix, the copy source or delete keys, so the cache's key leaves
 * them out. Only successful resolutions are cached, at most {@value #MOST_ENTRIES} (see
 * docs/design/parquet-copier.md, "S3 client tuning").
 */
final class CachedS3EndpointProvider implements S3EndpointProvider {

    static final int MOST_ENTRIES = 256;

    private final S3EndpointProvider rules;
    private final Map<Key, Endpoint> endpoints = new ConcurrentHashMap<>();

    CachedS3EndpointProvider(S3EndpointProvider rules) {
        this.rules = rules;
    }

    @Override
    public CompletableFuture<Endpoint> resolveEndpoint(S3EndpointParams params) {
        Key key = Key.of(params);
        Endpoint cached = endpoints.get(key);
        if (cached != null) {
            return CompletableFuture.completedFuture(cached);
        }
        CompletableFuture<Endpoint> resolved = rules.resolveEndpoint(params);
        if (resolved.isDone() && !resolved.isCompletedExceptionally()) {
            if (endpoints.size() >= MOST_ENTRIES) {
                endpoints.clear();
            }
            endpoints.put(key, resolved.join());
        }
        return resolved;
    }

    /** Every parameter S3's rules read: all of {@link S3EndpointParams} but the key, prefix, copy source and delete keys. */
    private record Key(String bucket, String region, Boolean useFips, Boolean useDualStack, String endpoint,
            Boolean forcePathStyle, Boolean accelerate, Boolean useGlobalEndpoint, Boolean useObjectLambdaEndpoint,
            Boolean disableAccessPoints, Boolean disableMultiRegionAccessPoints, Boolean useArnRegion,
            Boolean useS3ExpressControlEndpoint, Boolean disableS3ExpressSessionAuth) {

        static Key of(S3EndpointParams params) {
            return new Key(params.bucket(), params.regionId(), params.useFips(), params.useDualStack(), params.endpoint(),
                    params.forcePathStyle(), params.accelerate(), params.useGlobalEndpoint(), params.useObjectLambdaEndpoint(),
                    params.disableAccessPoints(), params.disableMultiRegionAccessPoints(), params.useArnRegion(),
                    params.useS3ExpressControlEndpoint(), params.disableS3ExpressSessionAuth());
        }
    }
}
