package io.snaplake.pipeline;

import java.net.URI;
import org.springframework.boot.context.properties.ConfigurationProperties;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.regions.Region;

/**
 * Where a stage's AWS clients point: the region, the account the pipeline runs in, and an optional
 * endpoint override (moto locally and in tests; unset in production). Credentials come from the SDK's
 * default chain (IRSA on Kubernetes, environment variables locally).
 *
 * @param region    AWS region of the snapshots, exports and lake, e.g. eu-west-1
 * @param accountId AWS account id of the snapshots' account (12 digits)
 * @param endpoint  optional endpoint override for every client, e.g. http://127.0.0.1:5000
 */
@ConfigurationProperties("snaplake.aws")
public record AwsSettings(String region, String accountId, URI endpoint) {

    public AwsSettings {
        if (region == null || region.isBlank()) {
            throw new IllegalArgumentException("snaplake.aws.region (AWS_REGION) must be set, e.g. eu-west-1");
        }
        if (accountId == null || !accountId.matches("\\d{12}")) {
            throw new IllegalArgumentException(
                    "snaplake.aws.account-id (SNAPLAKE_AWS_ACCOUNTID) must be a 12-digit AWS account id, got: " + accountId);
        }
    }

    /** Applies region and endpoint override to any SDK client builder. */
    public <B extends AwsClientBuilder<B, C>, C> B configure(B builder) {
        builder.region(Region.of(region));
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder;
    }
}
