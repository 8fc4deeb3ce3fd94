package io.snaplake.lab.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.snaplake.testkit.SimulatedLakeFormation;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Lake Formation's state (the double's, as ListPermissions answers) for the recipient: per cluster, the
 * customers table granted through its data cells filter; the whole tables through LF-Tag grants.
 */
final class LakeFormationCheck {

    private LakeFormationCheck() {
    }

    static void check(SimulatedLakeFormation lakeFormation, String recipient, Set<String> clusters, Findings findings) {
        List<JsonNode> grants = lakeFormation.permissions().stream()
                .filter(g -> g.path("Principal").path("DataLakePrincipalIdentifier").asText().equals(recipient)).toList();
        long tagGrants = grants.stream().filter(g -> g.path("Resource").has("LFTagPolicy")).count();
        Set<String> filteredDatabases = new TreeSet<>();
        grants.stream().filter(g -> g.path("Resource").has("DataCellsFilter"))
                .forEach(g -> filteredDatabases.add(g.path("Resource").path("DataCellsFilter").path("DatabaseName").asText()));
        for (String cluster : new TreeSet<>(clusters)) {
            if (!filteredDatabases.contains(cluster)) {
                findings.problem("Lake Formation: no data cells filter grant to " + recipient + " on database " + cluster);
            }
        }
        if (tagGrants == 0) {
            findings.problem("Lake Formation: no LF-Tag grant to " + recipient);
        }
        findings.print("  lake formation: %d grants to %s (%d by LF-Tag, data cells filter grants on %d databases)",
                grants.size(), recipient, tagGrants, filteredDatabases.size());
    }
}
