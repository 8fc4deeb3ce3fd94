package io.snaplake.lab.demo;

import io.snaplake.events.SnapshotRef;
import io.snaplake.events.SnapshotSourceType;
import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBClusterSnapshot;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The lab's AWS side, in moto: buckets, the SQS queue the EventBridge rule feeds, Aurora clusters
 * (moto creates each one's automated snapshot), the EventBridge events RDS would send, and Glue to read back.
 */
public final class DemoAws implements AutoCloseable {

    public static final String ACCOUNT_ID = "123456789012";
    public static final String REGION = "us-east-1";

    public final S3Client s3;
    public final SqsClient sqs;
    public final RdsClient rds;
    public final GlueClient glue;

    public DemoAws(URI endpoint) {
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("demo", "demo"));
        this.s3 = S3Client.builder().endpointOverride(endpoint).region(Region.of(REGION)).credentialsProvider(credentials)
                .forcePathStyle(true).build();
        this.sqs = SqsClient.builder().endpointOverride(endpoint).region(Region.of(REGION)).credentialsProvider(credentials).build();
        this.rds = RdsClient.builder().endpointOverride(endpoint).region(Region.of(REGION)).credentialsProvider(credentials).build();
        this.glue = GlueClient.builder().endpointOverride(endpoint).region(Region.of(REGION)).credentialsProvider(credentials).build();
    }

    public void createBucket(String bucket) {
        s3.createBucket(b -> b.bucket(bucket));
    }

    /** The queue an EventBridge rule on RDS snapshot events targets, with a redrive policy to a DLQ. */
    public String createEventQueue(String name) {
        String dlqUrl = sqs.createQueue(q -> q.queueName(name + "-dlq")).queueUrl();
        String dlqArn = sqs.getQueueAttributes(a -> a.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        return sqs.createQueue(q -> q.queueName(name).attributes(Map.of(
                QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"5\"}",
                QueueAttributeName.VISIBILITY_TIMEOUT, "30"))).queueUrl();
    }

    /** Creates an Aurora PostgreSQL cluster; moto takes its first automated snapshot at once. */
    public DBClusterSnapshot createClusterWithAutomatedSnapshot(String clusterId) {
        rds.createDBCluster(c -> c.dbClusterIdentifier(clusterId).engine("aurora-postgresql")
                .masterUsername("snaplake").masterUserPassword("not-a-secret-1").databaseName("app"));
        List<DBClusterSnapshot> snapshots = rds.describeDBClusterSnapshots(d -> d.dbClusterIdentifier(clusterId)
                .snapshotType("automated")).dbClusterSnapshots();
        if (snapshots.isEmpty()) {
            throw new IllegalStateException("moto created no automated snapshot for cluster " + clusterId);
        }
        DBClusterSnapshot automated = snapshots.get(0);
        // moto bug: StartExportTask splits the SourceArn on ':' and looks up the last part, so an automated
        // snapshot's ARN (...:cluster-snapshot:rds:<id>) fails with HTTP 500. A manual copy named <id> lets
        // moto find "a" snapshot while the pipeline keeps using the automated snapshot's real ARN.
        String motoLookupName = automated.dbClusterSnapshotIdentifier().substring("rds:".length());
        rds.createDBClusterSnapshot(c -> c.dbClusterIdentifier(clusterId).dbClusterSnapshotIdentifier(motoLookupName));
        return automated;
    }

    /** Delivers what EventBridge delivers to the queue for RDS-EVENT-0169 (automated cluster snapshot created). */
    void deliverSnapshotCreatedEvent(String queueUrl, DBClusterSnapshot snapshot) {
        Instant created = snapshot.snapshotCreateTime() == null ? Instant.now() : snapshot.snapshotCreateTime();
        String event = snapshotCreatedEvent(snapshot.dbClusterSnapshotIdentifier(), snapshot.dbClusterSnapshotArn(), created);
        sqs.sendMessage(m -> m.queueUrl(queueUrl).messageBody(event));
    }

    /** The EventBridge event RDS sends for RDS-EVENT-0169 (automated cluster snapshot created), as SQS receives it. */
    public static String snapshotCreatedEvent(String sourceIdentifier, String sourceArn, Instant created) {
        return """
                {"version":"0","id":"%s","detail-type":"RDS DB Cluster Snapshot Event","source":"aws.rds",\
                "account":"%s","time":"%s","region":"%s","resources":["%s"],\
                "detail":{"EventCategories":["backup"],"SourceType":"CLUSTER_SNAPSHOT","SourceArn":"%s",\
                "Date":"%s","Message":"Automated cluster snapshot created","SourceIdentifier":"%s",\
                "EventID":"RDS-EVENT-0169"}}""".formatted(UUID.randomUUID(), ACCOUNT_ID, created, REGION,
                sourceArn, sourceArn, created, sourceIdentifier);
    }

    /** A cluster snapshot of this account and region as the listener describes it (the scheduler derives ids and prefixes from it). */
    public static SnapshotRef snapshotRef(String cluster, String snapshotId, String snapshotArn, LocalDate date) {
        return SnapshotRef.newBuilder()
                .setAccountId(ACCOUNT_ID)
                .setRegion(REGION)
                .setSourceType(SnapshotSourceType.CLUSTER)
                .setClusterId(cluster)
                .setSnapshotId(snapshotId)
                .setSnapshotArn(snapshotArn)
                .setSnapshotDate(date)
                .build();
    }

    /** The queue URL of {@code queue}'s dead-letter queue ({@link #createEventQueue}). */
    public String deadLetterQueueUrl(String queue) {
        return sqs.getQueueUrl(q -> q.queueName(queue + "-dlq")).queueUrl();
    }

    @Override
    public void close() {
        s3.close();
        sqs.close();
        rds.close();
        glue.close();
    }
}
