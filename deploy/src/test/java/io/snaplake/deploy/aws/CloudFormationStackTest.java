package io.snaplake.deploy.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.snaplake.testkit.LocalInfra;
import io.snaplake.testkit.MotoServer;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionByDefault;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * aws/snaplake.yaml deployed to moto's CloudFormation, and what it created read back through each
 * service's API. moto creates no AWS::S3::BucketPolicy, AWS::SQS::QueuePolicy or Lake Formation
 * resource from a template (it logs "No Moto CloudFormation support"): those are checked in the template
 * itself, and the test names them so that a moto that learns them shows up here.
 */
class CloudFormationStackTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AwsBasicCredentials CREDENTIALS = AwsBasicCredentials.create("test", "test");
    private static final Set<String> NOT_CREATED_BY_MOTO = Set.of("AWS::S3::BucketPolicy", "AWS::SQS::QueuePolicy",
            "AWS::LakeFormation::DataLakeSettings", "AWS::LakeFormation::Resource", "AWS::LakeFormation::Permissions");
    private static final Map<String, String> PARAMETERS = Map.of(
            "NamePrefix", "snaplake",
            "SnapshotSources", "orders,billing",
            "ExportRetentionDays", "5",
            "KubernetesNamespace", "snaplake",
            "ListenerVisibilityTimeoutSeconds", "120",
            "ListenerMaxReceiveCount", "5");

    private static SnaplakeTemplate template;
    private static DeployedStack stack;
    private static URI endpoint;

    @BeforeAll
    static void deploy() {
        MotoServer moto = LocalInfra.moto();
        moto.reset();
        endpoint = moto.endpoint();
        template = SnaplakeTemplate.load(io.snaplake.deploy.Repository.root());
        stack = DeployedStack.create(endpoint, CREDENTIALS, template, "snaplake", PARAMETERS);
    }

    @Test
    void stackIsCreated_withEveryResourceMotoSupports() {
        assertThat(stack.status()).isEqualTo("CREATE_COMPLETE");
        // The parameters here set no AnalyticsRoleArn: the resources conditioned on it are not created.
        Set<String> expected = template.resourceTypes().entrySet().stream()
                .filter(e -> !NOT_CREATED_BY_MOTO.contains(e.getValue()))
                .filter(e -> !template.resources().get(e.getKey()).containsKey("Condition"))
                .map(Map.Entry::getKey).collect(Collectors.toSet());
        assertThat(stack.physicalIds().keySet()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(stack.physicalIds()).doesNotContainKey("LfSharerAssumesAnalyticsRole");
    }

    @Test
    void lfSharer_mayAssumeTheAnalyticsRole_onlyWhenOneIsGiven() throws Exception {
        String analyticsRole = "arn:aws:iam::222222222222:role/snaplake-analytics-side";
        Map<String, String> parameters = new java.util.HashMap<>(PARAMETERS);
        parameters.put("NamePrefix", "withanalytics");
        parameters.put("AnalyticsRoleArn", analyticsRole);
        DeployedStack withAnalytics = DeployedStack.create(endpoint, CREDENTIALS, template, "withanalytics", parameters);
        assertThat(withAnalytics.status()).isEqualTo("CREATE_COMPLETE");
        try (IamClient iam = IamClient.builder().endpointOverride(endpoint).region(Region.AWS_GLOBAL)
                .credentialsProvider(StaticCredentialsProvider.create(CREDENTIALS)).build()) {
            assertThat(iam.listRolePolicies(r -> r.roleName("withanalytics-lf-sharer")).policyNames())
                    .containsExactlyInAnyOrder("lf-sharer", "lf-sharer-analytics-side");
            String document = iam.getRolePolicy(r -> r.roleName("withanalytics-lf-sharer").policyName("lf-sharer-analytics-side"))
                    .policyDocument();
            JsonNode statement = JSON.readTree(URLDecoder.decode(document, StandardCharsets.UTF_8)).get("Statement").get(0);
            assertThat(statement.get("Action").asText()).isEqualTo("sts:AssumeRole");
            assertThat(statement.get("Resource").asText()).isEqualTo(analyticsRole);
        }
    }

    @Test
    void buckets_areKmsEncryptedWithTheStacksKey() {
        try (S3Client s3 = S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(CREDENTIALS)).build();
             KmsClient kms = KmsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(CREDENTIALS)).build()) {
            // moto keeps a key policy that came from a template as an object, and then fails every call that
            // checks the policy (DescribeKey answers HTTP 500): the key is found through ListKeys instead.
            String keyId = stack.physicalIds().get("DataKey");
            assertThat(kms.listKeys().keys()).anySatisfy(key -> assertThat(key.keyId()).isEqualTo(keyId));
            String keyArn = "arn:aws:kms:us-east-1:123456789012:key/" + keyId;
            assertThat(kms.listAliases().aliases()).anySatisfy(alias -> assertThat(alias.aliasName()).isEqualTo("alias/snaplake-data"));
            for (String bucket : List.of("ExportBucket", "LakeBucket")) {
                String name = stack.physicalIds().get(bucket);
                assertThat(name).isEqualTo("snaplake-" + (bucket.equals("ExportBucket") ? "exports" : "lake") + "-123456789012-us-east-1");
                ServerSideEncryptionByDefault sse = s3.getBucketEncryption(r -> r.bucket(name))
                        .serverSideEncryptionConfiguration().rules().get(0).applyServerSideEncryptionByDefault();
                assertThat(sse.sseAlgorithmAsString()).isEqualTo("aws:kms");
                assertThat(sse.kmsMasterKeyID()).isEqualTo(keyArn);
            }
        }
    }

    /**
     * moto's CloudFormation applies only a bucket's encryption and tags (moto/s3/models.py,
     * create_from_cloudformation_json): public access blocks and lifecycle rules are checked in the template.
     */
    @Test
    @SuppressWarnings("unchecked")
    void buckets_areClosedToThePublic_andExportedFilesExpireAfterTheConfiguredDays() {
        for (String bucket : List.of("ExportBucket", "LakeBucket")) {
            assertThat((Map<String, Object>) template.properties(bucket).get("PublicAccessBlockConfiguration")).isEqualTo(Map.of(
                    "BlockPublicAcls", true, "BlockPublicPolicy", true, "IgnorePublicAcls", true, "RestrictPublicBuckets", true));
            assertThat((Map<String, Object>) template.properties(bucket).get("OwnershipControls"))
                    .isEqualTo(Map.of("Rules", List.of(Map.of("ObjectOwnership", "BucketOwnerEnforced"))));
        }
        Map<String, Object> lifecycle = (Map<String, Object>) template.properties("ExportBucket").get("LifecycleConfiguration");
        assertThat((List<Map<String, Object>>) lifecycle.get("Rules")).singleElement().satisfies(rule -> {
            assertThat(rule).containsEntry("Status", "Enabled").containsEntry("ExpirationInDays", Map.of("Ref", "ExportRetentionDays"));
        });
    }

    @Test
    void snapshotEventsQueue_hasTheListenersVisibilityTimeout_andRedrivesToItsDeadLetterQueue() throws Exception {
        try (SqsClient sqs = SqsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(CREDENTIALS)).build()) {
            String queueUrl = sqs.getQueueUrl(r -> r.queueName("snaplake-rds-snapshot-events")).queueUrl();
            String dlqUrl = sqs.getQueueUrl(r -> r.queueName("snaplake-rds-snapshot-events-dlq")).queueUrl();
            Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl)
                    .attributeNames(QueueAttributeName.ALL)).attributes();
            String dlqArn = sqs.getQueueAttributes(r -> r.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes().get(QueueAttributeName.QUEUE_ARN);

            assertThat(attributes.get(QueueAttributeName.VISIBILITY_TIMEOUT)).isEqualTo("120");
            JsonNode redrive = JSON.readTree(attributes.get(QueueAttributeName.REDRIVE_POLICY));
            assertThat(redrive.get("deadLetterTargetArn").asText()).isEqualTo(dlqArn);
            assertThat(redrive.get("maxReceiveCount").asInt()).isEqualTo(5);
        }
    }

    @Test
    void rule_sendsTheChosenSourcesSnapshotEvents_toTheQueue() throws Exception {
        AwsApi events = new AwsApi(endpoint, DeployedStack.REGION, CREDENTIALS);
        JsonNode rule = JSON.readTree(events.json("events", "AWSEvents.DescribeRule", "{\"Name\":\"snaplake-rds-snapshot-events\"}"));
        JsonNode targets = JSON.readTree(events.json("events", "AWSEvents.ListTargetsByRule", "{\"Rule\":\"snaplake-rds-snapshot-events\"}"));

        assertThat(JSON.readTree(rule.get("EventPattern").asText())).isEqualTo(JSON.readTree("""
                {"source": ["aws.rds"],
                 "detail-type": ["RDS DB Cluster Snapshot Event", "RDS DB Snapshot Event"],
                 "detail": {"EventID": ["RDS-EVENT-0169", "RDS-EVENT-0091"],
                            "SourceIdentifier": [{"prefix": "rds:orders-"}, {"prefix": "rds:billing-"}]}}
                """));
        assertThat(targets.get("Targets")).hasSize(1);
        assertThat(targets.get("Targets").get(0).get("Arn").asText())
                .isEqualTo("arn:aws:sqs:us-east-1:123456789012:snaplake-rds-snapshot-events");
    }

    @Test
    void eventPattern_isValidJson_forOneSourceAndForMany() throws Exception {
        assertThat(JSON.readTree(template.eventPattern(List.of("orders"))).at("/detail/SourceIdentifier"))
                .isEqualTo(JSON.readTree("[{\"prefix\":\"rds:orders-\"}]"));
        assertThat(JSON.readTree(template.eventPattern(List.of("a", "b", "c"))).at("/detail/SourceIdentifier")).hasSize(3);
    }

    @Test
    void roles_trustExactlyTheirOwnServiceAccount_orRdsExport() throws Exception {
        try (IamClient iam = IamClient.builder().endpointOverride(endpoint).region(Region.AWS_GLOBAL)
                .credentialsProvider(StaticCredentialsProvider.create(CREDENTIALS)).build()) {
            for (String service : List.of("snapshot-listener", "export-scheduler", "parquet-copier", "crawler-runner", "lf-sharer")) {
                Role role = iam.getRole(r -> r.roleName("snaplake-" + service)).role();
                JsonNode trust = JSON.readTree(URLDecoder.decode(role.assumeRolePolicyDocument(), StandardCharsets.UTF_8));
                JsonNode statement = trust.get("Statement").get(0);
                assertThat(statement.get("Action").asText()).isEqualTo("sts:AssumeRoleWithWebIdentity");
                assertThat(statement.at("/Principal/Federated").asText()).startsWith("arn:aws:iam::123456789012:oidc-provider/");
                JsonNode equals = statement.at("/Condition/StringEquals");
                assertThat(equals.fieldNames()).toIterable().hasSize(2);
                assertThat(equals.properties()).anySatisfy(e -> {
                    assertThat(e.getKey()).endsWith(":sub");
                    assertThat(e.getValue().asText()).isEqualTo("system:serviceaccount:snaplake:" + service);
                });
                assertThat(equals.properties()).anySatisfy(e -> {
                    assertThat(e.getKey()).endsWith(":aud");
                    assertThat(e.getValue().asText()).isEqualTo("sts.amazonaws.com");
                });
                assertThat(iam.listRolePolicies(r -> r.roleName(role.roleName())).policyNames()).containsExactly(service);
            }
            Role export = iam.getRole(r -> r.roleName("snaplake-rds-export")).role();
            JsonNode trust = JSON.readTree(URLDecoder.decode(export.assumeRolePolicyDocument(), StandardCharsets.UTF_8));
            assertThat(trust.at("/Statement/0/Principal/Service").asText()).isEqualTo("export.rds.amazonaws.com");
        }
    }
}
