package io.snaplake.lab.demo;

import io.snaplake.lab.demo.PipelineWatcher.Seen;
import io.snaplake.events.CrawlCompleted;
import io.snaplake.events.ParquetCopied;
import io.snaplake.events.SnapshotRef;
import io.snaplake.events.SnapshotSourceType;
import io.snaplake.exportscheduler.domain.ExportPrefixes;
import io.snaplake.exportscheduler.domain.ExportTaskIds;
import io.snaplake.pipeline.Topic;
import io.snaplake.rdsexportwriter.BatchLayout;
import io.snaplake.rdsexportwriter.ExportSpec;
import io.snaplake.rdsexportwriter.ExportWriter;
import io.snaplake.rdsexportwriter.RdsColumn;
import io.snaplake.rdsexportwriter.RdsColumns;
import io.snaplake.rdsexportwriter.SkippedDatabase;
import io.snaplake.rdsexportwriter.TableSpec;
import io.snaplake.snapshotlistener.domain.AutomatedSnapshotId;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.rds.model.DBClusterSnapshot;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The stages the demo runs today and what each needs: its configuration, the sample data a real AWS
 * would have produced (moto's exports write no files), and what "arrived" means.
 */
final class DemoPipeline {

    static final String EXPORT_BUCKET = "snaplake-demo-exports";
    static final String EXPORT_PREFIX = "exports";
    static final String LAKE_BUCKET = "snaplake-demo-lake";
    static final String LAKE_PREFIX = "lake";
    static final String QUEUE = "snaplake-rds-snapshot-events";

    /** A service to run, with its own environment on top of the shared one. */
    record Service(String name, Map<String, String> env) {
    }

    private final DemoAws aws;
    private final PrintStream out;
    private String queueUrl;
    private DemoSharing sharing;

    DemoPipeline(DemoAws aws, PrintStream out) {
        this.aws = aws;
        this.out = out;
    }

    void prepareAws() {
        aws.createBucket(EXPORT_BUCKET);
        aws.createBucket(LAKE_BUCKET);
        queueUrl = aws.createEventQueue(QUEUE);
        out.printf("%nAWS (moto): buckets s3://%s (exports) and s3://%s (lake); SQS queue %s (+ DLQ)%n",
                EXPORT_BUCKET, LAKE_BUCKET, QUEUE);
    }

    /** The sharing policy and the Lake Formation double lf-sharer uses (moto has no data cells filters). */
    DemoSharing prepareSharing(Path workDir) {
        sharing = DemoSharing.start(workDir);
        out.println("Lake Formation (in this JVM, moto has no data cells filters): " + sharing.serviceEnv()
                .get("SNAPLAKE_LAKE_FORMATION_ENDPOINT") + "; sharing policy " + sharing.policy());
        return sharing;
    }

    String queueUrl() {
        return queueUrl;
    }

    /**
     * Writes, for each snapshot, the files its RDS export writes (real Parquet, both naming conventions,
     * export_info and export_tables_info JSON) at the location the export-scheduler will ask RDS for.
     */
    void prepareExports(List<DBClusterSnapshot> snapshots) {
        out.println("\nWriting each snapshot's RDS export files into s3://" + EXPORT_BUCKET + " (moto's exports write none):");
        ExportWriter writer = new ExportWriter(aws.s3);
        for (DBClusterSnapshot snapshot : snapshots) {
            SnapshotRef ref = snapshotRef(snapshot);
            String taskId = ExportTaskIds.forSnapshot(ref, 1);
            String prefix = ExportPrefixes.forSnapshot(EXPORT_PREFIX, ref);
            var written = writer.write(exportOf(snapshot, prefix, taskId));
            out.printf("  s3://%s/%s/%s/  %d Parquet files%n", EXPORT_BUCKET, prefix, taskId, written.partFiles().size());
        }
    }

    List<Service> services() {
        return List.of(
                new Service("snapshot-listener", Map.of(
                        "SNAPLAKE_LISTENER_QUEUE_URL", queueUrl,
                        "SNAPLAKE_LISTENER_CLUSTERS", String.join(",", DemoCommand.CHOSEN_CLUSTERS),
                        "SNAPLAKE_LISTENER_QUEUE_WAIT_TIME", "1s",
                        // The events go first, so the demo shows the EventBridge path; the sweep then finds them known.
                        "SNAPLAKE_LISTENER_SWEEP_INITIAL_DELAY", "30s")),
                new Service("export-scheduler", Map.of(
                        "SNAPLAKE_EXPORT_BUCKET", EXPORT_BUCKET,
                        "SNAPLAKE_EXPORT_PREFIX", EXPORT_PREFIX,
                        "SNAPLAKE_EXPORT_KMS_KEY_ID", "arn:aws:kms:us-east-1:123456789012:key/demo",
                        "SNAPLAKE_EXPORT_IAM_ROLE_ARN", "arn:aws:iam::123456789012:role/snaplake-export",
                        "SNAPLAKE_EXPORT_POLL_INTERVAL", "1s")),
                new Service("parquet-copier", Map.of(
                        "SNAPLAKE_COPIER_ALLOWED_EXPORT_BUCKETS", EXPORT_BUCKET,
                        "SNAPLAKE_LAKE_BUCKET", LAKE_BUCKET,
                        "SNAPLAKE_LAKE_PREFIX", LAKE_PREFIX)),
                new Service("crawler-runner", Map.of()),
                new Service("lf-sharer", sharing.serviceEnv()));
    }

    /**
     * Each cluster's export has its own database, and between them every case the copier handles: both
     * batch-folder naming conventions and none, a table the export did not complete, a database it skipped.
     */
    static ExportSpec exportOf(DBClusterSnapshot snapshot, String prefix, String taskId) {
        ExportSpec.Builder export = ExportSpec.builder(EXPORT_BUCKET, taskId).s3Prefix(prefix)
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
                        .withColumns(customerColumns()))
                .table(TableSpec.failed("ordersdb", "public.audit_log",
                        "Table public.audit_log was skipped: a row is close to or larger than 2 GB"))
                .skippedDatabase(new SkippedDatabase("reportingdb",
                        "Database reportingdb was skipped: the export role has no permission to read it"))
                .build();
    }

    /** The standard columns and an {@code email} (the name column's values under a sensitive name). */
    private static List<RdsColumn> customerColumns() {
        List<RdsColumn> columns = new ArrayList<>(RdsColumns.standard());
        columns.add(2, RdsColumns.standard().get(1).renamed("email"));
        return columns;
    }

    /** Done when every snapshot's day was shared (TablesShared), the last stage. */
    boolean isDone(List<DBClusterSnapshot> snapshots, List<Seen> seen) {
        Map<String, List<Seen>> shared = PipelineWatcher.bySnapshot(seen, Topic.TABLES_SHARED);
        return snapshots.stream().allMatch(s -> shared.containsKey(s.dbClusterSnapshotArn()));
    }

    /**
     * What the demo must show beyond arrival: each snapshot announced once (the event, the sweep and any
     * repeat agree on one SnapshotCreated) and each export copied completely.
     */
    List<String> problems(List<DBClusterSnapshot> snapshots, List<Seen> seen) {
        Map<String, List<Seen>> created = PipelineWatcher.bySnapshot(seen, Topic.SNAPSHOTS_CREATED);
        Map<String, List<Seen>> copied = PipelineWatcher.bySnapshot(seen, Topic.PARQUET_COPIED);
        List<String> problems = new ArrayList<>();
        for (DBClusterSnapshot snapshot : snapshots) {
            String arn = snapshot.dbClusterSnapshotArn();
            int announcements = created.getOrDefault(arn, List.of()).size();
            if (announcements != 1) {
                problems.add(snapshot.dbClusterSnapshotIdentifier() + " was announced " + announcements + " times on "
                        + Topic.SNAPSHOTS_CREATED.topicName() + ", not once");
            }
            copied.getOrDefault(arn, List.of()).stream()
                    .map(Seen::event)
                    .filter(event -> event instanceof ParquetCopied parquet && !parquet.getComplete())
                    .findFirst()
                    .ifPresent(event -> problems.add(snapshot.dbClusterSnapshotIdentifier() + ": ParquetCopied says complete=false"));
            problems.addAll(GlueCatalogPrinter.problems(snapshot.dbClusterSnapshotIdentifier(),
                    PipelineWatcher.bySnapshot(seen, Topic.CRAWLS_COMPLETED).getOrDefault(arn, List.of())));
        }
        problems.addAll(DemoSharing.problems(snapshots, seen));
        return problems;
    }

    void printResults(List<DBClusterSnapshot> snapshots, List<Seen> seen) {
        out.println("Lake layout in s3://" + LAKE_BUCKET + "/" + LAKE_PREFIX + "/ (files per partition):");
        Map<String, long[]> partitions = new TreeMap<>();
        for (S3Object object : aws.s3.listObjectsV2Paginator(r -> r.bucket(LAKE_BUCKET).prefix(LAKE_PREFIX + "/")).contents()) {
            String key = object.key();
            String partition = key.substring(0, key.lastIndexOf('/') + 1);
            long[] totals = partitions.computeIfAbsent(partition, p -> new long[2]);
            totals[0]++;
            totals[1] += object.size();
        }
        partitions.forEach((partition, totals) ->
                out.printf("  %-70s %3d %-5s %,10d bytes%n", partition, totals[0], totals[0] == 1 ? "file" : "files", totals[1]));

        GlueCatalogPrinter.print(aws.s3, seen.stream().map(Seen::event).filter(CrawlCompleted.class::isInstance)
                .map(CrawlCompleted.class::cast).toList(), out);

        out.println("\nSummary (per snapshot, time from SnapshotCreated):");
        Map<String, List<Seen>> journeys = PipelineWatcher.bySnapshot(seen, Topic.values());
        for (DBClusterSnapshot snapshot : snapshots) {
            List<Seen> journey = journeys.getOrDefault(snapshot.dbClusterSnapshotArn(), List.of());
            out.println("  " + snapshot.dbClusterSnapshotIdentifier());
            if (journey.isEmpty()) {
                out.println("    (no event seen)");
                continue;
            }
            var start = journey.get(0).at();
            for (Seen event : journey) {
                out.printf("    +%5.1fs %-22s %s%n", Duration.between(start, event.at()).toMillis() / 1000.0,
                        event.event().getSchema().getName(), summary(event));
            }
        }
    }

    private static String summary(Seen event) {
        if (event.event() instanceof ParquetCopied copied) {
            StringBuilder tables = new StringBuilder();
            copied.getTables().forEach(t -> {
                long files = t.getFilesCopied() + t.getFilesAlreadyPresent();
                tables.append(String.format("%n               %-10s %-22s %-17s %d %s",
                        t.getDatabase(), t.getTable(), t.getStatus(), files, files == 1 ? "file" : "files"));
            });
            copied.getSkippedDatabases().forEach(d -> tables.append(String.format("%n               %-10s skipped by the export: %s",
                    d.getDatabase(), d.getWarningMessage())));
            return "complete=" + copied.getComplete() + tables;
        }
        if (event.event() instanceof CrawlCompleted crawl) {
            return GlueCatalogPrinter.describe(crawl);
        }
        return PipelineWatcher.describe(event.event());
    }

    /** The snapshot as the listener describes it (the export-scheduler derives ids and prefixes from it). */
    static SnapshotRef snapshotRef(DBClusterSnapshot snapshot) {
        String cluster = snapshot.dbClusterIdentifier();
        return SnapshotRef.newBuilder()
                .setAccountId(DemoAws.ACCOUNT_ID)
                .setRegion(DemoAws.REGION)
                .setSourceType(SnapshotSourceType.CLUSTER)
                .setClusterId(cluster)
                .setSnapshotId(snapshot.dbClusterSnapshotIdentifier())
                .setSnapshotArn(snapshot.dbClusterSnapshotArn())
                .setSnapshotDate(snapshotDate(snapshot))
                .build();
    }

    /** The day the listener gives the snapshot: the one in rds:<cluster>-YYYY-MM-DD-HH-MM. */
    private static LocalDate snapshotDate(DBClusterSnapshot snapshot) {
        return AutomatedSnapshotId.parse(snapshot.dbClusterSnapshotIdentifier())
                .map(AutomatedSnapshotId::snapshotDate)
                .orElseThrow(() -> new IllegalStateException("not an automated snapshot: " + snapshot.dbClusterSnapshotIdentifier()));
    }
}
