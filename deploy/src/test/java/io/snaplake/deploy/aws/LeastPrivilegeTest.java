package io.snaplake.deploy.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snaplake.crawlerrunner.domain.Column;
import io.snaplake.crawlerrunner.domain.GluePartition;
import io.snaplake.crawlerrunner.domain.GlueTable;
import io.snaplake.crawlerrunner.domain.LakeFile;
import io.snaplake.crawlerrunner.domain.CrawlerDefinition;
import io.snaplake.crawlerrunner.aws.AwsCalls;
import io.snaplake.crawlerrunner.aws.GlueCatalog;
import io.snaplake.crawlerrunner.aws.GlueCrawledCatalog;
import io.snaplake.crawlerrunner.aws.GlueCrawlers;
import io.snaplake.crawlerrunner.aws.S3LakeStore;
import io.snaplake.deploy.Repository;
import io.snaplake.exportscheduler.aws.SdkRdsExports;
import io.snaplake.exportscheduler.domain.ExportTask;
import io.snaplake.exportscheduler.domain.StartExportRequest;
import io.snaplake.sharing.aws.AwsRetry;
import io.snaplake.sharing.aws.SdkLakeFormation;
import io.snaplake.sharing.domain.CatalogTable;
import io.snaplake.sharing.domain.CellsFilter;
import io.snaplake.sharing.domain.Grant;
import io.snaplake.sharing.domain.LfResource;
import io.snaplake.sharing.domain.Permission;
import io.snaplake.sharing.domain.TagTarget;
import io.snaplake.testkit.MotoServer;
import io.snaplake.testkit.SimulatedLakeFormation;
import io.snaplake.parquetcopier.domain.CopyMetrics;
import io.snaplake.parquetcopier.domain.Retrier;
import io.snaplake.pipeline.retry.RetryPolicy;
import io.snaplake.parquetcopier.domain.StoredObject;
import io.snaplake.parquetcopier.aws.S3ObjectStore;
import io.snaplake.rdsexportwriter.ParquetFileFactory;
import io.snaplake.rdsexportwriter.RdsColumns;
import io.snaplake.snapshotlistener.aws.QueueAddresses;
import io.snaplake.snapshotlistener.aws.SdkSnapshotCatalog;
import io.snaplake.snapshotlistener.aws.SqsEventQueue;
import io.snaplake.snapshotlistener.config.ListenerSettings;
import io.snaplake.snapshotlistener.domain.EventQueue.QueuedMessage;
import io.snaplake.snapshotlistener.domain.Rejection;
import io.snaplake.events.SnapshotSourceType;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.lakeformation.LakeFormationClient;
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
 * conditions on iam:PassRole, and KMS use that S3 makes on the caller's behalf. All five stages: the
 * export-scheduler exports a manual cluster snapshot (moto answers HTTP 500 for an automated one); the
 * crawler-runner's direct registration and crawler method are run adapter call by adapter call; the lf-sharer's data cells filter and revoke calls go to SimulatedLakeFormation
 * (moto lacks them), where the actions they need are checked against the policy but not enforced.
 */
class LeastPrivilegeTest {

    private static final AwsBasicCredentials ADMIN = AwsBasicCredentials.create("test", "test");
    private static final String QUEUE = "snaplake-rds-snapshot-events";
    private static final String EXPORTS = "snaplake-exports-123456789012-us-east-1";
    private static final String LAKE = "snaplake-lake-123456789012-us-east-1";
    /** Above the copier's multipart threshold in this test (5 MiB): copied with UploadPartCopy, as a >5 GB file is. */
    private static final int LARGE_FILE = 6 * 1024 * 1024;

    private static final List<String> SERVICES = List.of("snapshot-listener", "parquet-copier", "export-scheduler",
            "crawler-runner", "lf-sharer");
    /** A manual cluster snapshot: moto answers HTTP 500 when asked to export an automated one. */
    private static final String SNAPSHOT_ARN = "arn:aws:rds:us-east-1:123456789012:cluster-snapshot:orders-manual";
    /** The crawler-runner and the sharer read and write databases named with the template's GlueDatabasePrefix. */
    private static final String LAKE_DATABASE = "snaplake_orders";
    private static final String SHARED_DATABASE = "snaplake_billing";
    private static final String CRAWLED_DATABASE = "snaplake_crawled";
    private static final RetryPolicy CRAWLER_RETRY = new RetryPolicy(3,
            Duration.ofMillis(10), Duration.ofMillis(100));
    private static final String FOOTER_FILE = "lake/orders/part-00000-a.gz.parquet";

    private static MotoServer moto;
    private static DeployedStack stack;
    private static SnaplakeTemplate template;
    private static final Map<String, AwsCredentials> CREDENTIALS = new HashMap<>();
    private static final ScheduledExecutorService RETRIES = Executors.newSingleThreadScheduledExecutor();

    @BeforeAll
    static void deployAndEnforce() {
        moto = MotoServer.start();
        template = SnaplakeTemplate.load(Repository.root());
        stack = DeployedStack.create(moto.endpoint(), ADMIN, template, "snaplake", Map.of());
        assertThat(stack.status()).isEqualTo("CREATE_COMPLETE");
        rewriteInlinePoliciesAsText();
        try (StsClient sts = StsClient.builder().endpointOverride(moto.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(ADMIN)).build()) {
            for (String service : SERVICES) {
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
            s3.putObject(r -> r.bucket(LAKE).key("lake/stale/part-00000-old.gz.parquet"), RequestBody.fromBytes(new byte[16]));
            s3.putObject(r -> r.bucket(LAKE).key(FOOTER_FILE),
                    RequestBody.fromBytes(ParquetFileFactory.parquet("t", RdsColumns.standard(), 0, 50)));
        }
        try (GlueClient glue = glue(ADMIN, new OperationRecorder())) {
            // A table the crawler method's version read looks at.
            glue.createDatabase(r -> r.databaseInput(d -> d.name(CRAWLED_DATABASE)));
            glue.createTable(r -> r.databaseName(CRAWLED_DATABASE).tableInput(t -> t.name("db_public_crawled")
                    .storageDescriptor(sd -> sd.location("s3://" + LAKE + "/lake/billing/db/public_crawled/")
                            .columns(c -> c.name("id").type("bigint")))));
            glue.createDatabase(r -> r.databaseInput(d -> d.name(SHARED_DATABASE)));
            glue.createTable(r -> r.databaseName(SHARED_DATABASE).tableInput(t -> t.name("db_public_invoices")
                    .storageDescriptor(sd -> sd.columns(software.amazon.awssdk.services.glue.model.Column.builder()
                            .name("id").type("bigint").build()))));
        }
        try (RdsClient rds = rds(ADMIN, new OperationRecorder())) {
            rds.createDBCluster(r -> r.dbClusterIdentifier("orders").engine("aurora-postgresql")
                    .masterUsername("snaplake").masterUserPassword("not-a-secret-1"));
            rds.createDBClusterSnapshot(r -> r.dbClusterIdentifier("orders").dbClusterSnapshotIdentifier("orders-manual"));
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
            for (String service : SERVICES) {
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
                    // AWS authorises DeleteObjects key by key (s3:DeleteObject on each object's ARN); moto checks
                    // s3:DeleteObject once, on the bucket's ARN: for moto the statement also names the bucket.
                    if (statement.get("Action").toString().contains("s3:DeleteObject")
                            && statement.get("Resource").isString() && statement.get("Resource").asString().endsWith("/*")) {
                        String objects = statement.get("Resource").asString();
                        ((ObjectNode) statement).putArray("Resource").add(objects).add(objects.substring(0, objects.length() - 2));
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
            // The automated snapshot moto made with the cluster the scheduler's test exports from.
            assertThat(catalog.automatedSnapshots(SnapshotSourceType.CLUSTER)).hasSize(1);
            assertThat(catalog.automatedSnapshots(SnapshotSourceType.INSTANCE)).isEmpty();
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
            // The copier lists the lake too: whether a table-day's partition already holds files, and to verify
            // each table's copy (object count and bytes). A denial there would look like an outage and be waited out.
            // (Other tests put files under lake/ too: only this day's partition is counted.)
            List<StoredObject> copied = new ArrayList<>();
            store.list(LAKE, "lake", copied::add);
            assertThat(copied).filteredOn(object -> object.key().startsWith("lake/orders/db/public_t/2026-11-22/"))
                    .hasSize(exported.size());
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

    @Test
    void exportScheduler_makesAllItsCalls_withExactlyItsPolicy() {
        OperationRecorder recorder = new OperationRecorder();
        try (RdsClient rds = rds(CREDENTIALS.get("export-scheduler"), recorder)) {
            SdkRdsExports exports = new SdkRdsExports(rds);
            String kmsKeyArn = "arn:aws:kms:us-east-1:123456789012:key/" + stack.physicalIds().get("DataKey");
            String exportRoleArn = "arn:aws:iam::123456789012:role/" + stack.physicalIds().get("RdsExportRole");
            ExportTask started = exports.start(new StartExportRequest("snaplake-orders-least-privilege", SNAPSHOT_ARN,
                    EXPORTS, "exports/orders", exportRoleArn, kmsKeyArn, List.of()));
            assertThat(started.id()).isEqualTo("snaplake-orders-least-privilege");
            assertThat(exports.find("snaplake-orders-least-privilege")).get()
                    .extracting(ExportTask::sourceArn).isEqualTo(SNAPSHOT_ARN);
            // moto completes an export at once: no export holds a slot.
            assertThat(exports.countInProgress()).isZero();
        }

        assertThat(recorder.operations()).containsExactlyInAnyOrder("Rds:StartExportTask", "Rds:DescribeExportTasks");
        // Checked by RDS on the scheduler's behalf when it starts an export (not SDK calls of its own, and not
        // evaluated by moto): it passes the export role, and RDS makes a KMS grant with the scheduler's rights.
        Set<String> onItsBehalf = Set.of("iam:PassRole", "kms:CreateGrant", "kms:DescribeKey");
        Set<String> granted = new java.util.TreeSet<>(template.policyActions("ExportSchedulerRole"));
        granted.removeAll(onItsBehalf);
        assertThat(granted).isEqualTo(IamActions.of(recorder.operations()));
    }

    @Test
    void exportScheduler_isDenied_otherStagesCalls() {
        AwsCredentials scheduler = CREDENTIALS.get("export-scheduler");
        try (S3Client s3 = s3(scheduler); SqsClient sqs = sqs(scheduler, new OperationRecorder());
                RdsClient rds = rds(scheduler, new OperationRecorder())) {
            assertDenied(() -> s3.listObjectsV2(r -> r.bucket(EXPORTS)));
            assertDenied(() -> sqs.getQueueUrl(r -> r.queueName(QUEUE)));
            assertDenied(() -> rds.describeDBClusterSnapshots(r -> r.snapshotType("automated")));
        }
    }

    @Test
    void crawlerRunner_makesAllItsDirectRegistrationCalls_withExactlyItsPolicy() {
        OperationRecorder recorder = new OperationRecorder();
        AwsCredentials crawler = CREDENTIALS.get("crawler-runner");
        RetryPolicy retry = CRAWLER_RETRY;
        try (GlueClient glue = GlueClient.builder().endpointOverride(moto.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(crawler))
                .overrideConfiguration(c -> c.addExecutionInterceptor(recorder)).build();
                S3AsyncClient s3 = S3AsyncClient.builder().endpointOverride(moto.endpoint()).forcePathStyle(true)
                        .region(Region.US_EAST_1).credentialsProvider(StaticCredentialsProvider.create(crawler))
                        .overrideConfiguration(c -> c.addExecutionInterceptor(recorder)).build()) {
            // Every call of the crawler-runner's Glue adapter (the one DirectRegistrar makes them through).
            GlueCatalog catalog = new GlueCatalog(glue, new AwsCalls(retry));
            List<Column> columns = List.of(new Column("id", "bigint"), new Column("name", "string"));
            String location = "s3://" + LAKE + "/lake/orders/";
            catalog.ensureDatabase(LAKE_DATABASE);
            assertThat(catalog.table(LAKE_DATABASE, "db_public_t")).isEmpty();
            assertThat(catalog.createTable(LAKE_DATABASE, new GlueTable("db_public_t", location, columns, Map.of()))).isTrue();
            assertThat(catalog.tables(LAKE_DATABASE)).extracting(GlueTable::name).containsExactly("db_public_t");
            catalog.updateTable(LAKE_DATABASE, new GlueTable("db_public_t", location,
                    List.of(new Column("id", "bigint"), new Column("name", "string"), new Column("note", "string")), Map.of()));
            GluePartition day = new GluePartition("2026-11-22", location + "day/", columns, Map.of());
            assertThat(catalog.createPartitions(LAKE_DATABASE, "db_public_t", List.of(day))).isEmpty();
            assertThat(catalog.partition(LAKE_DATABASE, "db_public_t", "2026-11-22")).isPresent();
            catalog.updatePartition(LAKE_DATABASE, "db_public_t", new GluePartition("2026-11-22", location + "day/",
                    columns, Map.of("snaplake.export", "again")));

            // Its S3 adapter: a footer's ranged GET, the clean-up's listing and DeleteObjects. (moto's signature
            // check rejects a '/' in a query value and a '=' in a key as the SDK encodes them: the lake's date=
            // folders are not used here; the rights are the same.)
            S3LakeStore lake = new S3LakeStore(s3, retry, RETRIES, 64 * 1024);
            // listFolder lists with delimiter "/", which moto's signature check rejects (%2F in the query): its
            // ListObjectsV2 (s3:ListBucket) is the same call deleteUnder makes below without a delimiter.
            LakeFile footer = new LakeFile(LAKE, FOOTER_FILE, ParquetFileFactory.parquet("t", RdsColumns.standard(), 0, 50).length);
            assertThat(step("read a footer", () -> lake.columns(footer).join())).isNotEmpty();
            assertThat(step("delete what a day replaced", () -> lake.deleteUnder(LAKE, "lake", "lake/orders/"))).isEqualTo(1);
        }

        assertThat(recorder.operations()).contains("Glue:GetDatabase", "Glue:CreateDatabase", "Glue:GetTable",
                "Glue:CreateTable", "Glue:GetTables", "Glue:UpdateTable", "Glue:BatchCreatePartition",
                "Glue:GetPartition", "Glue:UpdatePartition", "S3:ListObjectsV2", "S3:GetObject");
        // The crawler method's calls (a Glue crawler run instead of direct registration) and KMS, which S3 calls
        // with the runner's rights to decrypt the lake's files: not made by the direct registration above.
        Set<String> crawlerMethodOrOnItsBehalf = Set.of("glue:GetCrawler", "glue:CreateCrawler", "glue:StartCrawler",
                "glue:GetTableVersions", "iam:PassRole", "kms:Decrypt");
        Set<String> granted = new java.util.TreeSet<>(template.policyActions("CrawlerRunnerRole"));
        granted.removeAll(crawlerMethodOrOnItsBehalf);
        assertThat(granted).isEqualTo(IamActions.of(recorder.operations()));
    }

    @Test
    void crawlerRunner_makesItsCrawlerMethodCalls_withItsPolicy() {
        OperationRecorder recorder = new OperationRecorder();
        AwsCalls calls = new AwsCalls(CRAWLER_RETRY);
        try (GlueClient glue = glue(CREDENTIALS.get("crawler-runner"), recorder)) {
            // Every call of the crawler method's Glue adapters: the crawler created if missing (GetCrawler, then
            // CreateCrawler passing the stack's crawler role), started, polled, and a table's versions read.
            GlueCrawlers crawlers = new GlueCrawlers(glue, calls);
            CrawlerDefinition definition = CrawlerDefinition.over("s3://" + LAKE + "/lake/billing/db/public_crawled/",
                    "snaplake-billing", "arn:aws:iam::123456789012:role/snaplake-glue-crawler", CRAWLED_DATABASE,
                    "UPDATE_IN_DATABASE", "LOG", "CRAWL_EVERYTHING");
            crawlers.ensure(definition);
            assertThat(crawlers.start("snaplake-billing")).isTrue();
            assertThat(crawlers.status("snaplake-billing").state()).isNotBlank();
            new GlueCrawledCatalog(glue, calls, new GlueCatalog(glue, calls))
                    .columnsBefore(CRAWLED_DATABASE, "db_public_crawled", java.time.Instant.now());

        }
        try (GlueClient glue = glue(CREDENTIALS.get("crawler-runner"), new OperationRecorder())) {
            // Stopping or deleting a crawler is nothing the runner does: denied.
            assertDenied(() -> glue.stopCrawler(r -> r.name("snaplake-billing")));
            assertDenied(() -> glue.deleteCrawler(r -> r.name("snaplake-billing")));
        }
        assertThat(IamActions.of(recorder.operations()))
                .containsExactlyInAnyOrder("glue:GetCrawler", "glue:CreateCrawler", "iam:PassRole", "glue:StartCrawler",
                        "glue:GetTableVersions");
    }

    @Test
    void crawlerRunner_isDenied_writingTheLake_andOtherStagesCalls() {
        AwsCredentials crawler = CREDENTIALS.get("crawler-runner");
        try (S3Client s3 = s3(crawler); RdsClient rds = rds(crawler, new OperationRecorder())) {
            assertDenied(() -> s3.putObject(r -> r.bucket(LAKE).key("lake/forged"), RequestBody.fromString("x")));
            assertDenied(() -> s3.listObjectsV2(r -> r.bucket(EXPORTS)));
            assertDenied(() -> rds.describeExportTasks(r -> r.maxRecords(20)));
        }
    }

    @Test
    void lfSharer_makesAllItsCalls_withExactlyItsPolicy() {
        OperationRecorder recorder = new OperationRecorder();
        AwsCredentials sharer = CREDENTIALS.get("lf-sharer");
        AwsRetry retry = new AwsRetry(3, Duration.ofMillis(10), Duration.ofMillis(100));
        String key = "confidential";
        LfResource.TagPolicy publicTables = new LfResource.TagPolicy(LfResource.ResourceType.TABLE, Map.of(key, List.of("public")));
        try (GlueClient glue = glue(sharer, recorder);
                LakeFormationClient lf = LakeFormationClient.builder().endpointOverride(moto.endpoint()).region(Region.US_EAST_1)
                        .credentialsProvider(StaticCredentialsProvider.create(sharer))
                        .overrideConfiguration(c -> c.addExecutionInterceptor(recorder)).build()) {
            // Against moto, IAM enforced: the catalogue read and every Lake Formation call moto answers.
            assertThat(new io.snaplake.sharing.aws.GlueCatalog(glue, retry).tables(SHARED_DATABASE))
                    .extracting(CatalogTable::name).containsExactly("db_public_invoices");
            SdkLakeFormation lakeFormation = new SdkLakeFormation(lf, retry, "123456789012");
            assertThat(lakeFormation.tagValues(key)).isEmpty();
            lakeFormation.createTag(key, List.of("private", "public"));
            lakeFormation.addTagValues(key, List.of("sensitive"));
            assertThat(lakeFormation.addTag(TagTarget.database(SHARED_DATABASE), key, "private")).isEmpty();
            assertThat(lakeFormation.addTag(TagTarget.table(SHARED_DATABASE, "db_public_invoices"), key, "public")).isEmpty();
            assertThat(lakeFormation.databaseTag(SHARED_DATABASE, key)).contains("private");
            List<Grant> grants = List.of(new Grant("444444444444", publicTables, Permission.SELECT, false));
            assertThat(lakeFormation.batchGrant(grants)).isEmpty();
            assertThat(lakeFormation.grants()).contains(grants.get(0));
            assertThat(lakeFormation.removeTag(TagTarget.table(SHARED_DATABASE, "db_public_invoices"), key, "public")).isEmpty();
        }
        // Data cells filters and revokes: moto has no data cells filters and fails partial revokes (HTTP 500), so
        // these calls go to SimulatedLakeFormation, the double the sharer's own tests use. It enforces no IAM:
        // what is proven for them is that the policy grants each action they need, and nothing more.
        try (SimulatedLakeFormation simulated = SimulatedLakeFormation.start();
                LakeFormationClient lf = LakeFormationClient.builder().endpointOverride(simulated.endpoint()).region(Region.US_EAST_1)
                        .credentialsProvider(StaticCredentialsProvider.create(sharer))
                        .overrideConfiguration(c -> c.addExecutionInterceptor(recorder)).build()) {
            SdkLakeFormation lakeFormation = new SdkLakeFormation(lf, retry, "123456789012");
            lakeFormation.createTag(key, List.of("private", "public"));
            CellsFilter filter = CellsFilter.including(SHARED_DATABASE, "db_public_invoices", "invoices_shared",
                    List.of("id"), Optional.empty());
            lakeFormation.createFilter(filter);
            lakeFormation.updateFilter(CellsFilter.including(SHARED_DATABASE, "db_public_invoices", "invoices_shared",
                    List.of("id", "country"), Optional.empty()));
            assertThat(lakeFormation.filters(SHARED_DATABASE)).extracting(CellsFilter::name).containsExactly("invoices_shared");
            List<Grant> grants = List.of(new Grant("444444444444", publicTables, Permission.SELECT, false));
            assertThat(lakeFormation.batchGrant(grants)).isEmpty();
            assertThat(lakeFormation.batchRevoke(grants)).isEmpty();
            lakeFormation.deleteFilter(SHARED_DATABASE, "db_public_invoices", "invoices_shared");
        }

        // Called by Lake Formation and AWS RAM with the sharer's rights when it grants across accounts, and
        // Lake Formation's own catalogue reads: not SDK calls of the sharer, not evaluated by moto, not proven here.
        Set<String> onItsBehalf = Set.of("ram:CreateResourceShare", "ram:AssociateResourceShare",
                "ram:DisassociateResourceShare", "ram:GetResourceShares", "ram:UpdateResourceShare", "ram:DeleteResourceShare",
                "glue:PutResourcePolicy", "glue:DeleteResourcePolicy", "glue:GetResourcePolicy", "glue:GetDatabase", "glue:GetTable");
        Set<String> granted = new java.util.TreeSet<>(template.policyActions("LfSharerRole"));
        granted.removeAll(onItsBehalf);
        assertThat(granted).isEqualTo(IamActions.of(recorder.operations()));
    }

    @Test
    void lfSharer_isDenied_otherStagesCalls() {
        AwsCredentials sharer = CREDENTIALS.get("lf-sharer");
        try (S3Client s3 = s3(sharer); GlueClient glue = glue(sharer, new OperationRecorder())) {
            assertDenied(() -> s3.getObject(r -> r.bucket(LAKE).key(FOOTER_FILE)));
            assertDenied(() -> glue.createTable(r -> r.databaseName(SHARED_DATABASE).tableInput(t -> t.name("forged"))));
        }
    }

    private static GlueClient glue(AwsCredentials credentials, OperationRecorder recorder) {
        return GlueClient.builder().endpointOverride(moto.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .overrideConfiguration(c -> c.addExecutionInterceptor(recorder)).build();
    }

    private static <T> T step(String what, java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            throw new AssertionError(what + " failed: " + e.getMessage(), e);
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
