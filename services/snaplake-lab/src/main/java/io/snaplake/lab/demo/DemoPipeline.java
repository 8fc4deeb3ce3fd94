package io.snaplake.lab.demo;

import io.snaplake.cli.TopicLayout;
import io.snaplake.events.SnapshotRef;
import io.snaplake.exportscheduler.domain.ExportPrefixes;
import io.snaplake.exportscheduler.domain.ExportTaskIds;
import io.snaplake.rdsexportwriter.BatchLayout;
import io.snaplake.rdsexportwriter.ExportSpec;
import io.snaplake.rdsexportwriter.ExportWriter;
import io.snaplake.rdsexportwriter.SkippedDatabase;
import io.snaplake.rdsexportwriter.TableSpec;
import io.snaplake.snapshotlistener.domain.AutomatedSnapshotId;
import io.snaplake.testkit.LocalInfra;
import io.snaplake.testkit.LocalKafka;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.rds.model.DBClusterSnapshot;

/**
 * The demo's pipeline on the local stack, for {@code demo} and {@code up}: Kafka, the registry and moto
 * with the deployment's topics; the demo's buckets, queue and sharing policy; its Aurora clusters with their
 * automated snapshots and the files their exports write (moto's exports write none); the services' settings.
 */
final class DemoPipeline implements AutoCloseable {

    static final LocalResources RESOURCES = new LocalResources("snaplake-demo-exports", "exports", "snaplake-demo-lake", "lake",
            "snaplake-rds-snapshot-events");
    /** Clusters the listener is configured for, and one it must ignore. */
    static final List<String> CHOSEN_CLUSTERS = List.of("orders", "billing");
    static final String IGNORED_CLUSTER = "scratch";

    private final URI moto;
    private final DemoAws aws;
    private final DemoSharing sharing;
    private final String queueUrl;
    private final List<DBClusterSnapshot> snapshots;
    private final DBClusterSnapshot ignored;
    private final StageEnvironment environment;

    private DemoPipeline(URI moto, DemoAws aws, DemoSharing sharing, String queueUrl, List<DBClusterSnapshot> snapshots,
            DBClusterSnapshot ignored, StageEnvironment environment) {
        this.moto = moto;
        this.aws = aws;
        this.sharing = sharing;
        this.queueUrl = queueUrl;
        this.snapshots = snapshots;
        this.ignored = ignored;
        this.environment = environment;
    }

    /** Starts the local stack (or finds it started) and prepares everything the services will need. */
    static DemoPipeline start(Path workDir, PrintStream out) throws Exception {
        String kafka = LocalInfra.kafka().bootstrapServers();
        String registry = LocalInfra.registry().url();
        URI moto = LocalInfra.moto().endpoint();
        // The deployment's topics: event topics, every consumer's dead-letter topic, compacted state topics.
        TopicLayout.createMissing(LocalInfra.kafka().admin(), LocalKafka.PARTITIONS);

        DemoAws aws = new DemoAws(moto);
        String queueUrl = RESOURCES.createIn(aws);
        out.printf("%nAWS (moto): buckets s3://%s (exports) and s3://%s (lake); SQS queue %s (+ DLQ)%n",
                RESOURCES.exportBucket(), RESOURCES.lakeBucket(), RESOURCES.queue());
        // The sharing policy and the Lake Formation double lf-sharer uses (moto has no data cells filters).
        DemoSharing sharing = DemoSharing.start(workDir);
        out.println("Lake Formation (in this JVM, moto has no data cells filters): " + sharing.lakeFormationEndpoint()
                + "; sharing policy " + sharing.policy());

        out.println("\nCreating Aurora clusters; moto takes each one's automated snapshot:");
        List<DBClusterSnapshot> snapshots = new ArrayList<>();
        for (String cluster : CHOSEN_CLUSTERS) {
            snapshots.add(aws.createClusterWithAutomatedSnapshot(cluster));
        }
        DBClusterSnapshot ignored = aws.createClusterWithAutomatedSnapshot(IGNORED_CLUSTER);
        snapshots.forEach(s -> out.println("  " + s.dbClusterSnapshotArn()));
        out.println("  " + ignored.dbClusterSnapshotArn() + "  (not a chosen cluster: the listener ignores it)");
        writeExports(aws, snapshots, out);

        StageEnvironment environment = new StageEnvironment(kafka, registry, moto).pipeline(RESOURCES, queueUrl,
                String.join(",", CHOSEN_CLUSTERS), sharing.policy(), sharing.lakeFormationEndpoint());
        return new DemoPipeline(moto, aws, sharing, queueUrl, List.copyOf(snapshots), ignored, environment);
    }

    /**
     * Writes, for each snapshot, the files its RDS export writes (real Parquet, both naming conventions,
     * export_info and export_tables_info JSON) at the location the export-scheduler will ask RDS for.
     */
    private static void writeExports(DemoAws aws, List<DBClusterSnapshot> snapshots, PrintStream out) {
        out.println("\nWriting each snapshot's RDS export files into s3://" + RESOURCES.exportBucket() + " (moto's exports write none):");
        ExportWriter writer = new ExportWriter(aws.s3);
        for (DBClusterSnapshot snapshot : snapshots) {
            SnapshotRef ref = snapshotRef(snapshot);
            String taskId = ExportTaskIds.forSnapshot(ref, 1);
            String prefix = ExportPrefixes.forSnapshot(RESOURCES.exportPrefix(), ref);
            var written = writer.write(exportOf(snapshot, prefix, taskId));
            out.printf("  s3://%s/%s/%s/  %d Parquet files%n", RESOURCES.exportBucket(), prefix, taskId, written.partFiles().size());
        }
    }

    /** Delivers each cluster's EventBridge event (RDS-EVENT-0169) through SQS, the ignored cluster's too. */
    void deliverSnapshotEvents() {
        snapshots.forEach(snapshot -> aws.deliverSnapshotCreatedEvent(queueUrl, snapshot));
        aws.deliverSnapshotCreatedEvent(queueUrl, ignored);
    }

    URI moto() {
        return moto;
    }

    DemoAws aws() {
        return aws;
    }

    DemoSharing sharing() {
        return sharing;
    }

    /** The chosen clusters' snapshots (the ignored cluster's is not among them). */
    List<DBClusterSnapshot> snapshots() {
        return snapshots;
    }

    StageEnvironment environment() {
        return environment;
    }

    /**
     * Each cluster's export has its own database, and between them every case the copier handles: both
     * batch-folder naming conventions and none, a table the export did not complete, a database it skipped.
     */
    static ExportSpec exportOf(DBClusterSnapshot snapshot, String prefix, String taskId) {
        ExportSpec.Builder export = ExportSpec.builder(RESOURCES.exportBucket(), taskId).s3Prefix(prefix)
                .sourceArn(snapshot.dbClusterSnapshotArn())
                .snapshotTime(snapshot.snapshotCreateTime());
        if (snapshot.dbClusterIdentifier().equals("billing")) {
            return export
                    .table(TableSpec.complete("billingdb", "public.invoices", BatchLayout.NUMBERED_BATCHES, 6).withFilesPerBatch(2))
                    .table(TableSpec.complete("billingdb", "public.payments", BatchLayout.ALPHANUMERIC_BATCHES, 4).withFilesPerBatch(2))
                    .table(TableSpec.complete("billingdb", "public.tax_rates", BatchLayout.FLAT, 1))
                    .build();
        }
        return export
                .table(TableSpec.complete("ordersdb", "public.orders", BatchLayout.NUMBERED_BATCHES, 6).withFilesPerBatch(2))
                .table(TableSpec.complete("ordersdb", "public.order_lines", BatchLayout.ALPHANUMERIC_BATCHES, 4).withFilesPerBatch(2))
                // A sensitive column: the policy shares customers through a filter that leaves it out.
                .table(TableSpec.complete("ordersdb", "public.customers", BatchLayout.FLAT, 2)
                        .withColumns(SampleColumns.customers()))
                .table(TableSpec.failed("ordersdb", "public.audit_log",
                        "Table public.audit_log was skipped: a row is close to or larger than 2 GB"))
                .skippedDatabase(new SkippedDatabase("reportingdb",
                        "Database reportingdb was skipped: the export role has no permission to read it"))
                .build();
    }

    /** The snapshot as the listener describes it (the export-scheduler derives ids and prefixes from it). */
    static SnapshotRef snapshotRef(DBClusterSnapshot snapshot) {
        return DemoAws.snapshotRef(snapshot.dbClusterIdentifier(), snapshot.dbClusterSnapshotIdentifier(),
                snapshot.dbClusterSnapshotArn(), snapshotDate(snapshot));
    }

    /** The day the listener gives the snapshot: the one in rds:<cluster>-YYYY-MM-DD-HH-MM. */
    private static LocalDate snapshotDate(DBClusterSnapshot snapshot) {
        return AutomatedSnapshotId.parse(snapshot.dbClusterSnapshotIdentifier())
                .map(AutomatedSnapshotId::snapshotDate)
                .orElseThrow(() -> new IllegalStateException("not an automated snapshot: " + snapshot.dbClusterSnapshotIdentifier()));
    }

    @Override
    public void close() {
        sharing.close();
        aws.close();
    }
}
