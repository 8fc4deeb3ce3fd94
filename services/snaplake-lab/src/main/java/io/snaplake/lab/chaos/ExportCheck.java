package io.snaplake.lab.chaos;

import io.snaplake.testkit.proxy.FaultProxy;
import io.snaplake.testkit.proxy.Forwarded;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.ExportTask;

/**
 * Each snapshot exported once, from moto's DescribeExportTasks and from the StartExportTask calls the fault
 * proxy forwarded that took effect (a call answered 500 after it took effect is an export all the same).
 */
final class ExportCheck {

    private ExportCheck() {
    }

    /** The number of snapshots exported more than once; an export of anything else is a problem too. */
    static int duplicates(RdsClient rds, FaultProxy proxy, Set<String> arns, Findings findings) {
        Map<String, Set<String>> tasks = new TreeMap<>();
        for (ExportTask task : rds.describeExportTasksPaginator(r -> r.maxRecords(100)).exportTasks()) {
            tasks.computeIfAbsent(task.sourceArn(), a -> new TreeSet<>()).add(task.exportTaskIdentifier());
        }
        Map<String, Integer> effectiveStarts = new HashMap<>();
        int calls = 0;
        for (Forwarded call : proxy.forwarded("rds", "StartExportTask")) {
            calls++;
            if (call.tookEffect()) {
                effectiveStarts.merge(call.parameters().getOrDefault("SourceArn", "?"), 1, Integer::sum);
            }
        }
        int duplicates = 0;
        int exported = 0;
        for (String arn : arns) {
            int inMoto = tasks.getOrDefault(arn, Set.of()).size();
            int effective = effectiveStarts.getOrDefault(arn, 0);
            if (inMoto >= 1) {
                exported++;
            }
            if (inMoto > 1 || effective > 1) {
                duplicates++;
                findings.problem(arn + " exported more than once: export tasks " + tasks.get(arn) + ", " + effective
                        + " StartExportTask calls took effect");
            }
        }
        tasks.keySet().stream().filter(arn -> !arns.contains(arn))
                .forEach(arn -> findings.problem("acted on a hostile input: export task for " + arn + " " + tasks.get(arn)));
        findings.print("  exports: %d of %d snapshots exported (moto DescribeExportTasks); %d StartExportTask calls reached moto,"
                + " %d took effect", exported, arns.size(), calls, effectiveStarts.values().stream().mapToInt(Integer::intValue).sum());
        return duplicates;
    }
}
