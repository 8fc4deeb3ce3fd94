package io.snaplake.sharing.aws;

import io.snaplake.pipeline.AwsSettings;
import java.net.URI;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.lakeformation.LakeFormationClient;

/** Builds the Glue and Lake Formation clients, for the service and for the CLI alike. */
public final class LakeClients {

    private LakeClients() {
    }

    public static GlueClient glue(AwsSettings aws) {
        return aws.configure(GlueClient.builder()).build();
    }

    /** @param lakeFormationEndpoint overrides the endpoint for Lake Formation only, when not null */
    public static LakeFormationClient lakeFormation(AwsSettings aws, URI lakeFormationEndpoint) {
        var builder = aws.configure(LakeFormationClient.builder());
        if (lakeFormationEndpoint != null) {
            builder.endpointOverride(lakeFormationEndpoint);
        }
        return builder.build();
    }
}
