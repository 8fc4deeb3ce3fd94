package io.snaplake.lfsharer.aws;

import io.snaplake.pipeline.AwsSettings;
import io.snaplake.sharing.aws.AwsRetry;
import java.net.URI;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * Glue and RAM clients acting as a role in the recipient (analytics) account: the role is assumed through
 * STS with the sharer's own credentials, and its session renewed before it expires.
 */
public final class RecipientClients implements AutoCloseable {

    private final StsClient sts;
    private final StsAssumeRoleCredentialsProvider credentials;
    private final GlueClient glue;
    private final SdkHttpClient ramHttp;
    private final URI ramEndpoint;
    private final String region;

    /**
     * @param roleArn     the role in the recipient account (it trusts the sharer's role, and may accept RAM
     *                    invitations and create Glue databases and tables)
     * @param ramEndpoint an endpoint for RAM alone (a local double), or null: AWS's, or snaplake.aws.endpoint when set
     */
    public RecipientClients(AwsSettings aws, String roleArn, URI ramEndpoint) {
        sts = aws.configure(StsClient.builder()).build();
        credentials = StsAssumeRoleCredentialsProvider.builder().stsClient(sts)
                .refreshRequest(assume -> assume.roleArn(roleArn).roleSessionName("snaplake-lf-sharer")).build();
        glue = aws.configure(GlueClient.builder()).credentialsProvider(credentials).build();
        ramHttp = Apache5HttpClient.create();
        region = aws.region();
        this.ramEndpoint = ramEndpoint != null ? ramEndpoint
                : aws.endpoint() != null ? aws.endpoint() : URI.create("https://ram." + region + ".amazonaws.com");
    }

    public GlueClient glue() {
        return glue;
    }

    public SdkShareInvitations invitations(AwsRetry retry) {
        return new SdkShareInvitations(ramHttp, credentials, region, ramEndpoint, retry);
    }

    @Override
    public void close() {
        glue.close();
        ramHttp.close();
        credentials.close();
        sts.close();
    }
}
