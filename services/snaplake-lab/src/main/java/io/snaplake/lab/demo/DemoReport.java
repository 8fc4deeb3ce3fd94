package io.snaplake.lab.demo;

import io.snaplake.events.CrawlCompleted;
import io.snaplake.events.ParquetCopied;
import io.snaplake.lab.demo.PipelineWatcher.Seen;
import io.snaplake.pipeline.Topic;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.rds.model.DBClusterSnapshot;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * What the demo shows and checks once the snapshots travelled: when it is done, the lake's layout, the
 * catalogue, each snapshot's journey, and what must hold besides arrival.
 */
final class DemoReport {

    private DemoReport() {
    }

    /** Done when every snapshot's day was shared (TablesShared), the last stage. */
    static boolean isDone(List<DBClusterSnapshot> snapshots, List<Seen> seen) {
        Map<String, List<Seen>> shared = PipelineWatcher.bySnapshot(seen, Topic.TABLES_SHARED);
        return snapshots.stream().allMatch(s -> shared.containsKey(s.dbClusterSnapshotArn()));
    }

    /**
     * What the demo must show beyond arrival: each snapshot announced once (the event, the sweep and any
     * repeat agree on one SnapshotCreated) and each export copied completely.
     */
    static List<String> problems(List<DBClusterSnapshot> snapshots, List<Seen> seen) {
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

    static void print(DemoAws aws, List<DBClusterSnapshot> snapshots, List<Seen> seen, PrintStream out) {
        String bucket = DemoPipeline.RESOURCES.lakeBucket();
        String prefix = DemoPipeline.RESOURCES.lakePrefix();
        out.println("Lake layout in s3://" + bucket + "/" + prefix + "/ (files per partition):");
        Map<String, long[]> partitions = new TreeMap<>();
        for (S3Object object : aws.s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix + "/")).contents()) {
            String key = object.key();
            String partition = key.substring(0, key.lastIndexOf('/') + 1);
            long[] totals = partitions.computeIfAbsent(partition, p -> new long[2]);
            totals[0]++;
            totals[1] += object.size();
        }
        partitions.forEach((partition, totals) ->
                out.printf("  %-70s %3d %-5s %,10d bytes%n", partition, totals[0], totals[0] == 1 ? "file" : "files", totals[1]));

        GlueCatalogPrinter.print(aws.glue, seen.stream().map(Seen::event).filter(CrawlCompleted.class::isInstance)
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

}
