package io.snaplake.parquetcopier.aws;

import io.snaplake.parquetcopier.domain.ExportCopier;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.SdkAdvancedAsyncClientOption;
import software.amazon.awssdk.http.crt.AwsCrtAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.endpoints.S3EndpointProvider;

/** Builds the copier's async S3 client. */
public final class S3Clients {

    private S3Clients() {
    }

    /**
     * @param endpoint    endpoint override (moto, a proxy), or null for AWS
     * @param concurrency copies in flight: the client may open one connection per copy, plus room for the
     *                    listings and verifications the copier runs beside its copies
     */
    public static S3AsyncClient async(Region region, URI endpoint, int concurrency) {
        var builder = S3AsyncClient.builder()
                .region(region)
                // The CRT client: native I/O, the least client CPU per copy of the SDK's async HTTP clients.
                .httpClientBuilder(AwsCrtAsyncHttpClient.builder()
                        .maxConcurrency(concurrency + ExportCopier.REQUESTS_BESIDE_COPIES)
                        .connectionTimeout(Duration.ofSeconds(10))
                        // The copier never has more requests out than connections, so a wait this long means a stuck pool.
                        .connectionAcquisitionTimeout(Duration.ofMinutes(2)))
                // S3's endpoint rules once per bucket, not twice per request (see CachedS3EndpointProvider).
                .endpointProvider(new CachedS3EndpointProvider(S3EndpointProvider.defaultProvider()))
                // The Retrier retries (with metrics and the configured policy); the SDK must not retry again underneath.
                .overrideConfiguration(config -> config
                        // Woodstox, not the JDK's parser, on the CRT threads that parse the responses (see the class).
                        .addExecutionInterceptor(new ResponseThreadClassLoader(S3Clients.class.getClassLoader()))
                        .retryStrategy(AwsRetryStrategy.doNotRetry())
                        // A single CopyObject of a 5 GB object can take minutes; a stuck one must still end.
                        .apiCallAttemptTimeout(Duration.ofMinutes(15)))
                // Complete each request's future on the I/O thread that read the response, instead of handing it
                // to the SDK's executor: one thread switch less per copy. Safe because nothing the copier chains on
                // these futures blocks (tallies, semaphore releases, scheduling a retry).
                .asyncConfiguration(async -> async.advancedOption(SdkAdvancedAsyncClientOption.FUTURE_COMPLETION_EXECUTOR,
                        Runnable::run));
        if (endpoint != null) {
            // moto and other local endpoints are addressed by IP: virtual-hosted bucket names cannot resolve.
            builder.endpointOverride(endpoint).forcePathStyle(true);
        }
        return builder.build();
    }
}
