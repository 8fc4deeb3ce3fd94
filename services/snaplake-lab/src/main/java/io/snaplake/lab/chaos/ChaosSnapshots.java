package io.snaplake.lab.chaos;

import io.snaplake.lab.demo.DemoAws;
import io.snaplake.lab.demo.LocalResources;
import io.snaplake.lab.demo.SampleColumns;
import io.snaplake.events.SnapshotRef;
import io.snaplake.exportscheduler.domain.ExportPrefixes;
import io.snaplake.exportscheduler.domain.ExportTaskIds;
import io.snaplake.rdsexportwriter.BatchLayout;
import io.snaplake.rdsexportwriter.ExportSpec;
import io.snaplake.rdsexportwriter.ExportWriter;
import io.snaplake.rdsexportwriter.TableSpec;
import io.snaplake.rdsexportwriter.WrittenExport;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.rds.model.DBClusterSnapshot;

/**
 * The chaos run's workload: {@code clusters} Aurora clusters in moto, each with one automated snapshot a
 * day for {@code days} days (the last day's is the one moto takes when the cluster is created; the earlier
 * ones are announced by their EventBridge events, as RDS would have sent them), and the files each
 * snapshot's RDS export writes (moto's exports write none).
 */
final class ChaosSnapshots {

    static final LocalResources RESOURCES = new LocalResources("snaplake-chaos-exports", "exports", "snaplake-chaos-lake", "lake",
            "snaplake-chaos-rds-events");

    /** One automated snapshot of one cluster on one day, and where its export lands. */
    record Snapshot(String cluster, String snapshotId, String arn, LocalDate date, Instant createdAt) {

        SnapshotRef ref() {
            return DemoAws.snapshotRef(cluster, snapshotId, arn, date);
        }

        String exportTaskId() {
            return ExportTaskIds.forSnapshot(ref(), 1);
        }

        String exportPrefix() {
            return ExportPrefixes.forSnapshot(RESOURCES.exportPrefix(), ref());
        }

        String database() {
            return cluster + "db";
        }
    }

    /** One snapshot's export as written: the spec and the part files. */
    record Export(Snapshot snapshot, ExportSpec spec, WrittenExport written) {
    }

    private ChaosSnapshots() {
    }

    static String clusterName(int index) {
        return String.format("chaos%02d", index + 1);
    }

    /**
     * Creates the clusters and their snapshots: day {@code days - 1} back to today. moto takes today's
     * automated snapshot itself; an earlier day's is a manual snapshot under the automated snapshot's
     * identifier and ARN (the event carries them, the listener describes it) and a second one named as moto's
     * StartExportTask looks it up (see {@link DemoAws#createClusterWithAutomatedSnapshot}).
     */
    static List<Snapshot> create(DemoAws aws, int clusters, int days) {
        List<Snapshot> snapshots = new ArrayList<>();
        for (int c = 0; c < clusters; c++) {
            String cluster = clusterName(c);
            DBClusterSnapshot today = aws.createClusterWithAutomatedSnapshot(cluster);
            String arnPrefix = today.dbClusterSnapshotArn().substring(0, today.dbClusterSnapshotArn().lastIndexOf(":rds:") + 1);
            LocalDate todayDate = today.snapshotCreateTime().atZone(ZoneOffset.UTC).toLocalDate();
            for (int back = days - 1; back >= 1; back--) {
                LocalDate date = todayDate.minusDays(back);
                String name = cluster + "-" + date + "-03-10";
                aws.rds.createDBClusterSnapshot(s -> s.dbClusterIdentifier(cluster).dbClusterSnapshotIdentifier(name));
                // ... and under the automated snapshot's own identifier, which the listener describes: it dead-letters
                // an event for a snapshot RDS does not know.
                aws.rds.createDBClusterSnapshot(s -> s.dbClusterIdentifier(cluster).dbClusterSnapshotIdentifier("rds:" + name));
                snapshots.add(new Snapshot(cluster, "rds:" + name, arnPrefix + "rds:" + name, date,
                        date.atTime(3, 10).toInstant(ZoneOffset.UTC)));
            }
            snapshots.add(new Snapshot(cluster, today.dbClusterSnapshotIdentifier(), today.dbClusterSnapshotArn(), todayDate,
                    today.snapshotCreateTime()));
        }
        return snapshots;
    }

    /** Writes each snapshot's export files where the export-scheduler will ask RDS to export it. */
    static List<Export> writeExports(DemoAws aws, List<Snapshot> snapshots) {
        ExportWriter writer = new ExportWriter(aws.s3);
        List<Export> exports = new ArrayList<>();
        for (Snapshot snapshot : snapshots) {
            ExportSpec spec = exportOf(snapshot, RESOURCES.exportBucket(), snapshot.exportPrefix(), snapshot.exportTaskId());
            exports.add(new Export(snapshot, spec, writer.write(spec)));
        }
        return exports;
    }

    /** Three tables: batch folders of both conventions and none; one with a sensitive column. */
    static ExportSpec exportOf(Snapshot snapshot, String bucket, String prefix, String taskId) {
        String database = snapshot.database();
        return ExportSpec.builder(bucket, taskId).s3Prefix(prefix)
                .sourceArn(snapshot.arn())
                .snapshotTime(snapshot.createdAt())
                .table(TableSpec.complete(database, "public.accounts", BatchLayout.NUMBERED_BATCHES, 4).withFilesPerBatch(2).withRowsPerFile(50))
                .table(TableSpec.complete(database, "public.events", BatchLayout.FLAT, 2).withRowsPerFile(50))
                .table(TableSpec.complete(database, "public.customers", BatchLayout.ALPHANUMERIC_BATCHES, 2).withFilesPerBatch(1)
                        .withRowsPerFile(50).withColumns(SampleColumns.customers()))
                .build();
    }

    /** The sharing policy: every cluster shares two tables whole and customers without its email column. */
    static String sharingPolicy(List<String> clusters, String recipient) {
        StringBuilder policy = new StringBuilder("""
                # The chaos run's sharing policy.
                sensitive-columns: ["*email*", "*phone*", "password*", "*token*"]
                clusters:
                """);
        for (String cluster : clusters) {
            policy.append("""
                      %s:
                        glue-database: %s
                        recipients: ["%s"]
                        databases:
                          %sdb:
                            share: [public.accounts, public.events]
                            filtered:
                              public.customers: {include: [id, name, updated_at]}
                    """.formatted(cluster, cluster, recipient, cluster));
        }
        return policy.toString();
    }

    /** What EventBridge delivers to the queue for RDS-EVENT-0169 (automated cluster snapshot created). */
    static String snapshotCreatedEvent(Snapshot snapshot) {
        return DemoAws.snapshotCreatedEvent(snapshot.snapshotId(), snapshot.arn(), snapshot.createdAt());
    }
}
