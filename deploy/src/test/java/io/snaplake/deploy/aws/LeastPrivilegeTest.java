package io.snaplake.deploy.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snaplake.deploy.Repository;
import io.snaplake.localinfra.MotoServer;
import io.snaplake.parquetcopier.copy.CopyMetrics;
import io.snaplake.parquetcopier.copy.Retrier;
import io.snaplake.parquetcopier.copy.RetryPolicy;
import io.snaplake.parquetcopier.copy.StoredObject;
import io.snaplake.parquetcopier.s3.S3ObjectStore;
import io.snaplake.snapshotlistener.aws.QueueAddresses;
import io.snaplake.snapshotlistener.aws.SdkSnapshotCatalog;
import io.snaplake.snapshotlistener.aws.SqsEventQueue;
import io.snaplake.snapshotlistener.config.ListenerSettings;
import io.snaplake.snapshotlistener.domain.EventQueue.QueuedMessage;
import io.snaplake.snapshotlistener.domain.Rejection;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.crt.AwsCrtAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sts.StsClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Each service's AWS calls made with credentials bound to exactly that service's policy from
 * aws/snaplake.yaml, on moto with IAM enforcement on ({@code /moto-api/reset-auth}, the runtime form of
 * INITIAL_NO_AUTH_ACTION_COUNT): every call the service's own code makes is allowed, another stage's call
 * is denied, and the policy grants no action beyond what the service's calls need (recorded with an SDK
 * interceptor, mapped to IAM actions by {@link IamActions}).
 *
 * <p>What moto does not evaluate: trust policies (AssumeRole is not checked against them), resource-level
 * conditions on iam:PassRole, and KMS use that S3 makes on the caller's behalf. The listener and the copier
 * are in this branch; export-scheduler's RDS export calls need a snapshot moto can export (its automated
 * snapshots answer HTTP 500) and are not run here.
 */
class LeastPrivilegeTest {

    private static final AwsBasicCredentials ADMIN = AwsBasicCredentials.create("test", "test");
    private static final String QUEUE = "snaplake-rds-snapshot-events";
    private static final String EXPORTS = "snaplake-exports-123456789012-us-east-1";
    private static final String LAKE = "snaplake-lake-123456789012-us-east-1";
    /** Above the copier's multipart threshold in this test (5 MiB): copied with UploadPartCopy, as a >5 GB file is. */
    private static final int LARGE_FILE = 6 * 1024 * 1024;

    private static MotoServer moto;
    private static SnaplakeTemplate template;
    private static final Map<String, AwsCredentials> CREDENTIALS = new HashMap<>();
    private static final ScheduledExecutorService RETRIES = Executors.newSingleThreadScheduledExecutor();

    @BeforeAll
    static void deployAndEnforce() {
        moto = MotoServer.start();
        template = SnaplakeTemplate.load(Repository.root());
        DeployedStack stack = DeployedStack.create(moto.endpoint(), ADMIN, template, "snaplake", Map.of());
        assertThat(stack.status()).isEqualTo("CREATE_COMPLETE");
        rewriteInlinePoliciesAsText();
        try (StsClient sts = StsClient.builder().endpointOverride(moto.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(ADMIN)).build()) {
            for (String service : List.of("snapshot-listener", "parquet-copier")) {
                var assumed = sts.assumeRole(r -> r.roleArn("arn:aws:iam::123456789012:role/snaplake-" + service)
                        .roleSessionName(service)).credentials();
                CREDENTIALS.put(service, AwsSessionCredentials.create(assumed.accessKeyId(), assumed.secretAccessKey(),
                        assumed.sessionToken()));
            }
        }
        try (SqsClient sqs = sqs(ADMIN, new OperationRecorder()); S3Client s3 = s3(ADMIN)) {
            sqs.sendMessage(r -> r.queueUrl(sqs.getQueueUrl(q -> q.queueName(QUEUE)).queueUrl()).messageBody("not an event"));
            s3.putObject(r -> r.bucket(EXPORTS).key("exports/orders/db/public.t/1/part-00000-a.gz.parquet"),
                    RequestBody.fromBytes(new byte[1024]));
            s3.putObject(r -> r.bucket(EXPORTS).key("exports/orders/db/public.t/1/part-00001-b.gz.parquet"),
                    RequestBody.fromBytes(new byte[LARGE_FILE]));
        }
        // From here on moto checks every request against the caller's policies.
        moto.post("/moto-api/reset-auth", "0");
    }

    /**
     * moto keeps an inline policy that came from a template as an object, and its IAM enforcement then fails
     * on it (HTTP 500, KeyError 'policy_document'): each role's policy, as the stack resolved it, is put
     * again unchanged as text.
     */
    private static void rewriteInlinePoliciesAsText() {
        try (IamClient iam = IamClient.builder().endpointOverride(moto.endpoint()).region(Region.AWS_GLOBAL)
                .credentialsProvider(StaticCredentialsProvider.create(ADMIN)).build()) {
            for (String service : List.of("snapshot-listener", "parquet-copier")) {
                String role = "snaplake-" + service;
                String document = iam.getRolePolicy(r -> r.roleName(role).policyName(service)).policyDocument();
                // moto answers the object's Python repr: single quotes where JSON has double quotes (these
                // policies hold no quote characters of their own); parsing it proves the text is the document.
                String text = URLDecoder.decode(document, StandardCharsets.UTF_8).replace('\'', '"');
                ObjectNode policy = (ObjectNode) JsonMapper.builder().build().readTree(text);
                for (JsonNode statement : policy.get("Statement")) {
                    // moto authorises every request but S3's against the resource "*", which a statement scoped
                    // to an ARN (a queue, a key) never matches: for moto those statements keep their actions
                    // and take "*". Actions are proven for every service here, resource scoping for S3 only.
                    if (!statement.get("Resource").toString().contains("arn:aws:s3:::")) {
                        ((ObjectNode) statement).put("Resource", "*");
                    }
                }
                iam.putRolePolicy(r -> r.roleName(role).policyName(service).policyDocument(policy.toString()));
            }
        }
    }

    @AfterAll
    static void stop() {
        RETRIES.shutdownNow();
        if (moto != null) {
            moto.close();
        }
    }

    @Test
    void snapshotListener_makesAllItsCalls_withExactlyItsPolicy() {
        OperationRecorder recorder = new OperationRecorder();
        AwsCredentials listener = CREDENTIALS.get("snapshot-listener");
        try (SqsClient sqs = sqs(listener, recorder); RdsClient rds = rds(listener, recorder)) {
            QueueAddresses addresses = QueueAddresses.resolve(sqs,
                    new ListenerSettings.Queue(null, QUEUE, null, Duration.ofSeconds(1), null, null, null),
                    JsonMapper.builder().build());
            SqsEventQueue queue = new SqsEventQueue(sqs, addresses, Duration.ofSeconds(1), Duration.ofSeconds(60), "snapshot-listener");
            List<QueuedMessage> messages = queue.receive();
            assertThat(messages).singleElement().extracting(QueuedMessage::body).isEqualTo("not an event");
            // What the listener does while Kafka is down: it keeps the message hidden (ChangeMessageVisibility).
            queue.keepHidden(messages, Duration.ofSeconds(30));
            queue.deadLetter(messages.get(0), new Rejection(Rejection.Code.NOT_JSON, "not an event"));
            queue.delete(messages.get(0));

            SdkSnapshotCatalog catalog = new SdkSnapshotCatalog(rds);
            assertThat(catalog.automatedClusterSnapshots()).isEmpty();
            assertThat(catalog.automatedInstanceSnapshots()).isEmpty();
        }

        assertThat(recorder.operations()).containsExactlyInAnyOrder("Sqs:GetQueueUrl", "Sqs:GetQueueAttributes",
                "Sqs:ReceiveMessage", "Sqs:ChangeMessageVisibilityBatch", "Sqs:SendMessage", "Sqs:DeleteMessage",
                "Rds:DescribeDBClusterSnapshots", "Rds:DescribeDBSnapshots");
        assertThat(template.policyActions("SnapshotListenerRole")).isEqualTo(IamActions.of(recorder.operations()));
    }

    @Test
    void snapshotListener_isDenied_otherStagesCalls() {
        AwsCredentials listener = CREDENTIALS.get("snapshot-listener");
        try (S3Client s3 = s3(listener); RdsClient rds = rds(listener, new OperationRecorder())) {
            assertDenied(() -> s3.listObjectsV2(r -> r.bucket(EXPORTS)));
            assertDenied(() -> rds.describeExportTasks(r -> r.maxRecords(20)));
        }
    }

    @Test
    void parquetCopier_makesAllItsCalls_withExactlyItsPolicy() {
        OperationRecorder recorder = new OperationRecorder();
        AwsCredentials copier = CREDENTIALS.get("parquet-copier");
        // The copier's own client set-up (S3Clients.async: the CRT HTTP client), with the copier's credentials.
        try (S3AsyncClient s3 = S3AsyncClient.builder().endpointOverride(moto.endpoint()).forcePathStyle(true)
                .httpClientBuilder(AwsCrtAsyncHttpClient.builder().maxConcurrency(8))
                .region(Region.US_EAST_1).credentialsProvider(StaticCredentialsProvider.create(copier))
                .overrideConfiguration(c -> c.addExecutionInterceptor(recorder)).build()) {
            Retrier retrier = new Retrier(new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(100)),
                    S3ObjectStore::isRetryable, RETRIES, CopyMetrics.NONE);
            S3ObjectStore store = new S3ObjectStore(s3, retrier, 5L * 1024 * 1024, 5L * 1024 * 1024);
            List<StoredObject> exported = new ArrayList<>();
            // moto's signature check rejects what the SDK percent-encodes as AWS expects: a '/' in a query value
            // (%2F) and a '=' in a key (%3D). So the listing's prefix has no '/' (the export's own would be
            // exports/orders/) and the lake keys no '=' (the lake's layout has date=YYYY-MM-DD).
            store.list(EXPORTS, "exports", exported::add);
            assertThat(exported).hasSize(2);
            assertThat(store.read(EXPORTS, "exports/orders/db/public.t/1/part-00000-a.gz.parquet")).isPresent();
            for (StoredObject source : exported) {
                String target = "lake/orders/db/public_t/2026-11-22/" + source.key().substring(source.key().lastIndexOf('/') + 1);
                assertThat(store.head(LAKE, target).join()).isEmpty();
                store.copy(source, LAKE, target).join();
                assertThat(store.head(LAKE, target).join()).get().extracting(StoredObject::size).isEqualTo(source.size());
            }
        }

        assertThat(recorder.operations()).contains("S3:ListObjectsV2", "S3:GetObject", "S3:HeadObject",
                "S3:CopyObject", "S3:CreateMultipartUpload", "S3:UploadPartCopy", "S3:CompleteMultipartUpload");
        // Not called in a successful copy: AbortMultipartUpload (a failed multipart copy), and KMS, which S3
        // calls with the copier's permissions to decrypt the export and encrypt the lake copy.
        Set<String> onlyOnFailureOrOnItsBehalf = Set.of("s3:AbortMultipartUpload", "kms:Decrypt", "kms:GenerateDataKey");
        Set<String> granted = new java.util.TreeSet<>(template.policyActions("ParquetCopierRole"));
        granted.removeAll(onlyOnFailureOrOnItsBehalf);
        assertThat(granted).isEqualTo(IamActions.of(recorder.operations()));
    }

    @Test
    void parquetCopier_isDenied_deletingFromTheLake_andOtherStagesCalls() {
        AwsCredentials copier = CREDENTIALS.get("parquet-copier");
        try (S3Client s3 = s3(copier); SqsClient sqs = sqs(copier, new OperationRecorder())) {
            assertDenied(() -> s3.deleteObject(r -> r.bucket(LAKE).key("lake/anything")));
            assertDenied(() -> s3.putObject(r -> r.bucket(EXPORTS).key("exports/forged"), RequestBody.fromString("x")));
            assertDenied(() -> sqs.getQueueUrl(r -> r.queueName(QUEUE)));
        }
    }

    private static void assertDenied(Runnable call) {
        // Denied by policy, not refused for a bad signature or an unknown key (also 403s).
        // moto answers JSON-protocol services' denials with an XML body the SDK cannot parse: read the raw body.
        assertThatThrownBy(call::run).isInstanceOfSatisfying(AwsServiceException.class, e -> {
            assertThat(e.statusCode()).as(e.getMessage()).isEqualTo(403);
            String body = e.awsErrorDetails().rawResponse() == null ? "" : e.awsErrorDetails().rawResponse().asUtf8String();
            assertThat(e.awsErrorDetails().errorCode() + " " + body).as(e.getMessage()).contains("AccessDenied");
        });
    }

    private static SqsClient sqs(AwsCredentials credentials, OperationRecorder recorder) {
        return SqsClient.builder().endpointOverride(moto.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .overrideConfiguration(c -> c.addExecutionInterceptor(recorder)).build();
    }

    private static RdsClient rds(AwsCredentials credentials, OperationRecorder recorder) {
        return RdsClient.builder().endpointOverride(moto.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .overrideConfiguration(c -> c.addExecutionInterceptor(recorder)).build();
    }

    private static S3Client s3(AwsCredentials credentials) {
        return S3Client.builder().endpointOverride(moto.endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(credentials)).build();
    }
}
