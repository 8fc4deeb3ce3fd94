package io.snaplake.parquetcopier.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.endpoints.Endpoint;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.endpoints.S3EndpointParams;
import software.amazon.awssdk.services.s3.endpoints.S3EndpointProvider;

class CachedS3EndpointProviderTest {

    /** Buckets and client settings that take different branches of S3's rules. */
    private static final List<UnaryOperator<S3EndpointParams.Builder>> SETTINGS = List.of(
            params -> params.bucket("lake").region(Region.US_EAST_1),
            params -> params.bucket("lake.with.dots").region(Region.EU_WEST_1),
            params -> params.bucket("lake").region(Region.US_WEST_2).useFips(true),
            params -> params.bucket("lake").region(Region.US_WEST_2).useDualStack(true),
            params -> params.bucket("lake").region(Region.US_EAST_1).accelerate(true),
            params -> params.bucket("lake").region(Region.US_EAST_1).forcePathStyle(true),
            params -> params.bucket("lake").region(Region.US_EAST_1).endpoint("http://127.0.0.1:4566").forcePathStyle(true),
            params -> params.bucket("arn:aws:s3:us-east-1:123456789012:accesspoint/lake-ap").region(Region.US_EAST_1),
            params -> params.bucket("lake--use1-az4--x-s3").region(Region.US_EAST_1));

    private final CountingRules rules = new CountingRules();
    private final CachedS3EndpointProvider cached = new CachedS3EndpointProvider(rules);

    @Test
    void resolvesWhatS3sRulesResolve_whateverTheKeyPrefixCopySourceOrDeleteKeys() {
        S3EndpointProvider s3Rules = S3EndpointProvider.defaultProvider();
        for (UnaryOperator<S3EndpointParams.Builder> settings : SETTINGS) {
            Endpoint bare = s3Rules.resolveEndpoint(settings.apply(S3EndpointParams.builder()).build()).join();
            Endpoint withObject = s3Rules.resolveEndpoint(settings.apply(S3EndpointParams.builder())
                    .key("exports/db/public.orders/1/part-00000.gz.parquet").prefix("exports/db/")
                    .copySource("source-bucket/exports/db/public.orders/1/part-00000.gz.parquet")
                    .deleteObjectKeys(List.of("a", "b")).build()).join();

            // The cache's key leaves these four out: S3's rules must not read them.
            assertThat(withObject).as("endpoint for %s", bare.url()).isEqualTo(bare);
        }
    }

    @Test
    void answersFromTheCache_forEveryObjectOfABucketAfterTheFirst() {
        Endpoint first = cached.resolveEndpoint(params("lake", "a.gz.parquet")).join();
        Endpoint second = cached.resolveEndpoint(params("lake", "b.gz.parquet")).join();

        assertThat(second).isEqualTo(first);
        assertThat(rules.calls).hasValue(1);
    }

    @Test
    void resolvesAgain_forAnotherBucket() {
        Endpoint lake = cached.resolveEndpoint(params("lake", "a.gz.parquet")).join();
        Endpoint exports = cached.resolveEndpoint(params("exports", "a.gz.parquet")).join();

        assertThat(exports.url().toString()).isEqualTo("https://exports.s3.us-east-1.amazonaws.com");
        assertThat(lake.url().toString()).isEqualTo("https://lake.s3.us-east-1.amazonaws.com");
        assertThat(rules.calls).hasValue(2);
    }

    @Test
    void doesNotCacheARefusal() {
        S3EndpointParams refused = S3EndpointParams.builder().bucket("lake").region(Region.US_EAST_1)
                .accelerate(true).useFips(true).build();

        for (int attempt = 0; attempt < 2; attempt++) {
            assertThatThrownBy(() -> cached.resolveEndpoint(refused).join()).isInstanceOf(CompletionException.class);
        }
        assertThat(rules.calls).hasValue(2);
    }

    @Test
    void keepsAtMostItsBound_andStillAnswers() {
        for (int bucket = 0; bucket <= CachedS3EndpointProvider.MOST_ENTRIES; bucket++) {
            cached.resolveEndpoint(params("lake-" + bucket, "a.gz.parquet")).join();
        }
        // The first bucket was dropped when the cache started over: resolved by the rules again, and right.
        Endpoint again = cached.resolveEndpoint(params("lake-0", "b.gz.parquet")).join();

        assertThat(again.url().toString()).isEqualTo("https://lake-0.s3.us-east-1.amazonaws.com");
        assertThat(rules.calls).hasValue(CachedS3EndpointProvider.MOST_ENTRIES + 2);
    }

    private static S3EndpointParams params(String bucket, String key) {
        return S3EndpointParams.builder().bucket(bucket).key(key).region(Region.US_EAST_1).build();
    }

    /** S3's real rules, counting how often they are evaluated. */
    private static final class CountingRules implements S3EndpointProvider {
        private final S3EndpointProvider rules = S3EndpointProvider.defaultProvider();
        private final AtomicInteger calls = new AtomicInteger();

        @Override
        public CompletableFuture<Endpoint> resolveEndpoint(S3EndpointParams params) {
            calls.incrementAndGet();
            return rules.resolveEndpoint(params);
        }
    }
}
