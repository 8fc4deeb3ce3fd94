package io.snaplake.listenertest;

import io.snaplake.snapshotlistener.domain.AutomatedSnapshotId;
import io.snaplake.testkit.LocalInfra;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBClusterSnapshot;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** Test-side AWS clients on moto, and the resources a test needs, each named uniquely per test. */
public final class TestAws {

    private static final Region REGION = Region.US_EAST_1;

    private static SqsClient sqs;
    private static RdsClient rds;

    private TestAws() {
    }

    public static synchronized SqsClient sqs() {
        if (sqs == null) {
            sqs = SqsClient.builder().region(REGION).endpointOverride(LocalInfra.moto().endpoint()).build();
        }
        return sqs;
    }

    public static synchronized RdsClient rds() {
        if (rds == null) {
            rds = RdsClient.builder().region(REGION).endpointOverride(LocalInfra.moto().endpoint()).build();
        }
        return rds;
    }

    /** A name no other test uses, valid as an RDS identifier and an SQS queue name. */
    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * The event queue, with a dead-letter queue in its redrive policy; the short visibility timeout
     * lets a message left on the queue be seen again soon.
     */
    public static Queues queues(String name) {
        return queues(name, 100);
    }

    /** The event queue, whose redrive policy moves a message to the dead-letter queue on receive {@code maxReceiveCount + 1}. */
    public static Queues queues(String name, int maxReceiveCount) {
        String dlqUrl = sqs().createQueue(r -> r.queueName(name + "-dlq")).queueUrl();
        String dlqArn = sqs().getQueueAttributes(r -> r.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        String url = sqs().createQueue(r -> r.queueName(name).attributes(Map.of(
                QueueAttributeName.VISIBILITY_TIMEOUT, "1",
                QueueAttributeName.REDRIVE_POLICY,
                "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"" + maxReceiveCount + "\"}")))
                .queueUrl();
        return new Queues(url, dlqUrl);
    }

    public static void send(String queueUrl, String body) {
        sqs().sendMessage(r -> r.queueUrl(queueUrl).messageBody(body));
    }

    /** Every message on the queue now, with all attributes; they become visible again a second later. */
    public static List<Message> peek(String queueUrl) {
        return sqs().receiveMessage(r -> r.queueUrl(queueUrl)
                        .maxNumberOfMessages(10)
                        .waitTimeSeconds(1)
                        .visibilityTimeout(1)
                        .messageAttributeNames("All")
                        .messageSystemAttributeNames(MessageSystemAttributeName.ALL))
                .messages();
    }

    /** Messages on the queue, visible or in flight. */
    public static int messagesOn(String queueUrl) {
        Map<QueueAttributeName, String> attributes = sqs().getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes();
        return Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    /** The allocated storage of the clusters tests create (moto's Aurora default, 1 GiB, would hide a lost value). */
    public static final int CLUSTER_STORAGE_GB = 150;

    /** The allocated storage of the instances tests create. */
    public static final int INSTANCE_STORAGE_GB = 20;

    /**
     * Creates an Aurora cluster; moto takes its automated snapshot at once, which is returned. Its
     * AllocatedStorage is the cluster's, {@link #CLUSTER_STORAGE_GB}.
     */
    public static DBClusterSnapshot clusterWithAutomatedSnapshot(String cluster) {
        createCluster(cluster);
        return rds().describeDBClusterSnapshots(r -> r.dbClusterIdentifier(cluster).snapshotType("automated"))
                .dbClusterSnapshots().get(0);
    }

    /**
     * The snapshot an RDS-EVENT-0169 for {@code cluster} taken at {@code takenAt} names
     * ({@code rds:<cluster>-YYYY-MM-DD-HH-MM}), created in moto, with the cluster if it does not exist yet: the
     * listener dead-letters an event for a snapshot RDS does not describe. moto's automated snapshots take the
     * current time's name, so the snapshot is a manual one under the automated name (moto accepts the
     * {@code rds:} prefix for cluster snapshots, not for instance snapshots).
     */
    public static DBClusterSnapshot clusterSnapshotTakenAt(String cluster, LocalDateTime takenAt) {
        if (rds().describeDBClusters(r -> r.filters(f -> f.name("db-cluster-id").values(cluster))).dbClusters().isEmpty()) {
            createCluster(cluster);
        }
        String snapshotId = "rds:" + cluster + "-" + takenAt.format(DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm"));
        return rds().createDBClusterSnapshot(r -> r.dbClusterIdentifier(cluster).dbClusterSnapshotIdentifier(snapshotId))
                .dbClusterSnapshot();
    }

    /** An Aurora cluster of {@link #CLUSTER_STORAGE_GB}; moto takes its automated snapshot at once. */
    private static void createCluster(String cluster) {
        rds().createDBCluster(r -> r.dbClusterIdentifier(cluster)
                .allocatedStorage(CLUSTER_STORAGE_GB)
                .engine("aurora-postgresql")
                .masterUsername("snaplake")
                .masterUserPassword("snaplake-test-password"));
    }

    /** The day an automated snapshot stands for, from its identifier (rds:<source>-YYYY-MM-DD-HH-MM). */
    public static LocalDate dayOf(String automatedSnapshotId) {
        return AutomatedSnapshotId.parse(automatedSnapshotId).orElseThrow().snapshotDate();
    }

    /** Creates an RDS instance; moto takes its automated snapshot at once, which is returned. */
    public static DBSnapshot instanceWithAutomatedSnapshot(String instance) {
        rds().createDBInstance(r -> r.dbInstanceIdentifier(instance)
                .engine("postgres")
                .dbInstanceClass("db.t3.micro")
                .allocatedStorage(INSTANCE_STORAGE_GB)
                .masterUsername("snaplake")
                .masterUserPassword("snaplake-test-password"));
        return rds().describeDBSnapshots(r -> r.dbInstanceIdentifier(instance).snapshotType("automated"))
                .dbSnapshots().get(0);
    }

    public record Queues(String url, String deadLetterUrl) {
    }
}
