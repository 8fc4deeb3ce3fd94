package io.snaplake.crawlerrunner.aws;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.SdkAdvancedAsyncClientOption;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.crt.AwsCrtAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/** The service's AWS clients. Their own retries are off: AwsCalls retries every request, blocking or async, by one policy. */
public final class CatalogClients {

    private CatalogClients() {
    }

    public static GlueClient glue(Region region, URI endpoint, int connections) {
        return glue(region, endpoint, connections, List.of());
    }

    /** @param interceptors e.g. a benchmark's request counter */
    public static GlueClient glue(Region region, URI endpoint, int connections, List<ExecutionInterceptor> interceptors) {
        var builder = GlueClient.builder()
                .region(region)
                .httpClientBuilder(software.amazon.awssdk.http.apache5.Apache5HttpClient.builder().maxConnections(connections))
                .overrideConfiguration(config -> config.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallAttemptTimeout(Duration.ofSeconds(60)).executionInterceptors(interceptors));
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder.build();
    }

    public static S3AsyncClient s3(Region region, URI endpoint, int connections) {
        return s3(region, endpoint, connections, List.of());
    }

    /** @param interceptors e.g. a benchmark's request counter */
    public static S3AsyncClient s3(Region region, URI endpoint, int connections, List<ExecutionInterceptor> interceptors) {
        var builder = S3AsyncClient.builder()
                .region(region)
                .httpClientBuilder(AwsCrtAsyncHttpClient.builder().maxConcurrency(connections).connectionTimeout(Duration.ofSeconds(10)))
                .overrideConfiguration(config -> config.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallAttemptTimeout(Duration.ofSeconds(60)).executionInterceptors(interceptors))
                // Nothing chained on these futures blocks: complete them on the I/O thread.
                .asyncConfiguration(async -> async.advancedOption(SdkAdvancedAsyncClientOption.FUTURE_COMPLETION_EXECUTOR, Runnable::run));
        if (endpoint != null) {
            builder.endpointOverride(endpoint).forcePathStyle(true);
        }
        return builder.build();
    }
}
