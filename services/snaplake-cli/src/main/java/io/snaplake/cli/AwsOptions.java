package io.snaplake.cli;

import java.net.URI;
import picocli.CommandLine.Option;

/**
 * Where a command's AWS clients point (a picocli mixin), from the same environment variables the services
 * read: the region, and an endpoint override (moto, the local stack) that is unset for AWS.
 */
public class AwsOptions {

    @Option(names = "--region", defaultValue = "${env:AWS_REGION:-us-east-1}", description = "AWS region (env AWS_REGION).")
    String region;

    @Option(names = {"--endpoint", "--aws-endpoint"}, defaultValue = "${env:SNAPLAKE_AWS_ENDPOINT:-}",
            description = "Endpoint override for every AWS client (env SNAPLAKE_AWS_ENDPOINT; unset for AWS).")
    String endpoint;

    public String region() {
        return region;
    }

    /** The endpoint override; null for AWS itself. */
    public URI endpoint() {
        return endpoint == null || endpoint.isBlank() ? null : URI.create(endpoint);
    }
}
