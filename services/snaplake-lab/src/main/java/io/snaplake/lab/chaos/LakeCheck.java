package io.snaplake.lab.chaos;

import io.snaplake.lab.chaos.ChaosSnapshots.Export;
import io.snaplake.lab.chaos.ChaosSnapshots.Snapshot;
import io.snaplake.parquetcopier.domain.ExportTable;
import io.snaplake.parquetcopier.domain.LakeLayout;
import io.snaplake.rdsexportwriter.TableSpec;
import io.snaplake.rdsexportwriter.WrittenExport.WrittenObject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.EntityNotFoundException;
import software.amazon.awssdk.services.glue.model.Partition;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The lake and the catalogue against the exports written: the lake holds exactly each export's part files,
 * at the keys the copier's layout gives them, and Glue has each table-day partition once, at its folder.
 */
final class LakeCheck {

    /** Lake key to the snapshot whose export has the file. */
    private final Map<String, String> expectedKeys = new HashMap<>();
    /** Cluster (its Glue database) to its table-days' folders in the lake. */
    private final Map<String, Set<String>> expectedLocations = new TreeMap<>();

    LakeCheck(List<Export> exports) {
        LakeLayout layout = LakeLayout.of(ChaosSnapshots.RESOURCES.lakeBucket(), ChaosSnapshots.RESOURCES.lakePrefix());
        for (Export export : exports) {
            Snapshot snapshot = export.snapshot();
            for (TableSpec table : export.spec().tables()) {
                String tableFolder = export.spec().root() + table.database() + "/" + table.table() + "/";
                String exportPrefix = layout.exportPrefix(snapshot.cluster(), new ExportTable(table.database(), table.table(), "COMPLETE", null),
                        snapshot.date(), export.spec().exportTaskId());
                expectedLocations.computeIfAbsent(snapshot.cluster(), c -> new HashSet<>()).add(layout.location(exportPrefix));
                for (WrittenObject part : export.written().partFiles()) {
                    if (part.key().startsWith(tableFolder)) {
                        expectedKeys.put(layout.targetKey(exportPrefix, part.key().substring(tableFolder.length())), snapshot.arn());
                    }
                }
            }
        }
    }

    /** The clusters, whose Glue databases hold the tables. */
    Set<String> clusters() {
        return expectedLocations.keySet();
    }

    /** Every export's part files in the lake, and nothing else. */
    void checkFiles(S3Client s3, Findings findings) {
        Set<String> lakeKeys = new HashSet<>();
        for (S3Object object : s3.listObjectsV2Paginator(r -> r.bucket(ChaosSnapshots.RESOURCES.lakeBucket())).contents()) {
            lakeKeys.add(object.key());
        }
        Set<String> incompleteInLake = new TreeSet<>();
        expectedKeys.forEach((key, arn) -> {
            if (!lakeKeys.contains(key)) {
                incompleteInLake.add(arn);
            }
        });
        incompleteInLake.forEach(arn -> findings.problem(arn + ": the lake lacks some of its export's files"));
        List<String> extra = lakeKeys.stream().filter(key -> !expectedKeys.containsKey(key)).sorted().toList();
        if (!extra.isEmpty()) {
            findings.problem("the lake holds " + extra.size() + " files no export of a chosen snapshot has, e.g. " + extra.get(0));
        }
        findings.print("  lake: %d files, %d expected (every export's part files), %d missing, %d extra",
                lakeKeys.size(), expectedKeys.size(), expectedKeys.keySet().stream().filter(k -> !lakeKeys.contains(k)).count(), extra.size());
    }

    /** Each table-day partition once in Glue, pointing at its export's folder in the lake. */
    void checkPartitions(GlueClient glue, Findings findings) {
        int partitions = 0;
        for (Map.Entry<String, Set<String>> cluster : expectedLocations.entrySet()) {
            Map<String, Integer> seen = new HashMap<>();
            try {
                for (var table : glue.getTablesPaginator(r -> r.databaseName(cluster.getKey())).stream()
                        .flatMap(page -> page.tableList().stream()).toList()) {
                    for (Partition partition : glue.getPartitionsPaginator(r -> r.databaseName(cluster.getKey())
                            .tableName(table.name())).stream().flatMap(page -> page.partitions().stream()).toList()) {
                        seen.merge(folder(partition.storageDescriptor().location()), 1, Integer::sum);
                        partitions++;
                    }
                }
            } catch (EntityNotFoundException noDatabase) {
                // every expected location is reported missing below
            }
            for (String location : cluster.getValue()) {
                int n = seen.getOrDefault(folder(location), 0);
                if (n != 1) {
                    findings.problem("Glue: " + n + " partitions point at " + location + ", not one");
                }
            }
        }
        findings.print("  glue: %d partitions; %d table-days expected", partitions,
                expectedLocations.values().stream().mapToInt(Set::size).sum());
    }

    private static String folder(String location) {
        return location.replaceAll("/*$", "/");
    }
}
