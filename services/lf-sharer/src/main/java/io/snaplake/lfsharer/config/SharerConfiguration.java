package io.snaplake.lfsharer.config;

import io.snaplake.lfsharer.aws.RecipientClients;
import io.snaplake.lfsharer.aws.SdkRecipientCatalog;
import io.snaplake.lfsharer.domain.AnalyticsSide;
import io.snaplake.lfsharer.domain.DayShare;
import io.snaplake.pipeline.AwsSettings;
import io.snaplake.sharing.aws.AwsRetry;
import io.snaplake.sharing.aws.GlueCatalog;
import io.snaplake.sharing.aws.LakeClients;
import io.snaplake.sharing.aws.SdkLakeFormation;
import io.snaplake.sharing.domain.PolicyLoader;
import io.snaplake.sharing.domain.Sharer;
import io.snaplake.sharing.domain.SharingPolicy;
import java.util.Optional;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.lakeformation.LakeFormationClient;

/** Wires the sharer: the policy (read and validated at start-up), Glue, Lake Formation and the analytics side. */
@Configuration(proxyBeanMethods = false)
class SharerConfiguration {

    /** A policy with problems stops the start-up, naming file, line and fix of each. */
    @Bean
    SharingPolicy sharingPolicy(SharerProperties properties) {
        return PolicyLoader.load(properties.policyFile());
    }

    @Bean(destroyMethod = "close")
    GlueClient sharerGlueClient(AwsSettings aws) {
        return LakeClients.glue(aws);
    }

    @Bean(destroyMethod = "close")
    LakeFormationClient sharerLakeFormationClient(AwsSettings aws, SharerProperties properties) {
        return LakeClients.lakeFormation(aws, properties.lakeFormationEndpoint());
    }

    @Bean
    Sharer sharer(SharingPolicy policy, GlueClient sharerGlueClient, LakeFormationClient sharerLakeFormationClient,
            SharerProperties properties, AwsSettings aws) {
        AwsRetry retry = properties.retry().awsRetry();
        return new Sharer(policy, new GlueCatalog(sharerGlueClient, retry), new SdkLakeFormation(sharerLakeFormationClient, retry, aws.accountId()),
                aws.accountId());
    }

    /** Clients acting in the recipient account, when a role there is configured (closed with the context). */
    record RecipientAccount(Optional<RecipientClients> clients) implements AutoCloseable {
        @Override
        public void close() {
            clients.ifPresent(RecipientClients::close);
        }
    }

    @Bean(destroyMethod = "close")
    RecipientAccount recipientAccount(AwsSettings aws, SharerProperties properties) {
        return new RecipientAccount(properties.analytics().role().map(role -> new RecipientClients(aws, role, properties.analytics().ramEndpoint())));
    }

    @Bean
    DayShare dayShare(Sharer sharer, RecipientAccount recipientAccount, SharerProperties properties, AwsSettings aws) {
        AwsRetry retry = properties.retry().awsRetry();
        return new DayShare(sharer, recipientAccount.clients().map(clients -> new DayShare.Analytics(properties.analytics().accountId().orElseThrow(),
                new AnalyticsSide(aws.accountId(), clients.invitations(retry), new SdkRecipientCatalog(clients.glue(), retry)))));
    }
}
