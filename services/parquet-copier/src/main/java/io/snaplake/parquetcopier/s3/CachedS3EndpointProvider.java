package io.snaplake.parquetcopier.s3;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.endpoints.Endpoint;
import software.amazon.awssdk.services.s3.endpoints.S3EndpointParams;
import software.amazon.awssdk.services.s3.endpoints.S3EndpointProvider;

/**
 * S3's endpoint rules, evaluated once per bucket (and client settings) instead of twice per request.
 *
 * <p>The SDK runs S3's rule set (a few hundred generated rules, URL parsing included) for every request,
 * once to pick the auth scheme and once for the endpoint: in a profile of the copy loop, about a tenth of
 * the client's CPU per copy, for an answer that is the same for every copy to the same bucket. The rules
 * read the bucket, the region and the client's settings, but never the object's key, the listing's prefix,
 * the copy's source or the keys of a batch delete (S3's rule set as of SDK 2.54; {@code
 * CachedS3EndpointProviderTest} fails if a newer rule set starts to read them), so the cache leaves those
 * out of its key, and every copy to a bucket after the first finds its endpoint here.
 *
 * <p>Only successful resolutions are cached (a refused bucket name is refused again, by the rules); the
 * cache holds at most {@value #MOST_ENTRIES} entries, then starts over, so a process that meets many
 * buckets keeps bounded memory.
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
