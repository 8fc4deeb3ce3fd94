package io.snaplake.sharing.domain;

import io.snaplake.sharing.domain.SharingPolicy.ClusterPolicy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The problems between clusters of one policy: two naming the same Glue database, and tables shared whole with
 * different recipients (the {@code confidential=public} grant is catalogue-wide, so every recipient of a whole
 * table would read every cluster's whole tables).
 */
final class ClusterConflicts {

    private ClusterConflicts() {
    }

    static List<PolicyProblem> of(SharingPolicy policy) {
        List<PolicyProblem> problems = new ArrayList<>();
        Map<String, String> databases = new HashMap<>();
        List<ClusterPolicy> sharingWhole = new ArrayList<>();
        for (ClusterPolicy cluster : policy.clusters().values()) {
            String other = databases.putIfAbsent(cluster.glueDatabase(), cluster.cluster());
            if (other != null && !cluster.glueDatabase().isEmpty()) {
                problems.add(new PolicyProblem(policy.source(), cluster.line(), "clusters '" + other + "' and '" + cluster.cluster()
                        + "' name the same glue-database '" + cluster.glueDatabase() + "'", "give each cluster its own Glue database"));
            }
            if (cluster.databases().values().stream().anyMatch(db -> !db.whole().isEmpty())) {
                sharingWhole.add(cluster);
            }
        }
        for (ClusterPolicy cluster : sharingWhole) {
            Set<String> these = principals(cluster);
            Set<String> first = principals(sharingWhole.get(0));
            if (!these.equals(first)) {
                problems.add(new PolicyProblem(policy.source(), cluster.line(), "cluster '" + cluster.cluster() + "' shares tables whole with "
                        + these + " but cluster '" + sharingWhole.get(0).cluster() + "' with " + first
                        + ": tables shared whole are granted through one catalogue-wide LF-Tag (confidential=public), so every "
                        + "recipient of a whole table would read every cluster's whole tables",
                        "give every cluster that uses 'share' the same recipients, or share through 'filtered' (granted per table)"));
            }
        }
        return problems;
    }

    private static Set<String> principals(ClusterPolicy cluster) {
        return cluster.recipients().stream().map(Recipient::principal).collect(Collectors.toCollection(TreeSet::new));
    }
}
