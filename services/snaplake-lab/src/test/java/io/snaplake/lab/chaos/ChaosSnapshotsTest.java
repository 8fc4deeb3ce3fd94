package io.snaplake.lab.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.snaplake.sharing.domain.PolicyLoader;
import io.snaplake.sharing.domain.SharingPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChaosSnapshotsTest {

    @Test
    void sharingPolicy_isValid_andSharesEveryClusterToTheRecipient() {
        List<String> clusters = List.of(ChaosSnapshots.clusterName(0), ChaosSnapshots.clusterName(9));

        SharingPolicy policy = PolicyLoader.parse("chaos", ChaosSnapshots.sharingPolicy(clusters, "222222222222"));

        assertThat(clusters).containsExactly("chaos01", "chaos10");
        assertThat(policy.clusters()).containsOnlyKeys("chaos01", "chaos10");
        policy.clusters().values().forEach(cluster -> {
            assertThat(cluster.glueDatabase()).isEqualTo(cluster.cluster());
            assertThat(cluster.sharesAnything()).isTrue();
        });
    }

    @Test
    void anEarlierDaysSnapshot_isNamedAsTheAutomatedOne_andExportedWhereTheSchedulerAsks() {
        ChaosSnapshots.Snapshot snapshot = new ChaosSnapshots.Snapshot("chaos01", "rds:chaos01-2026-12-01-03-10",
                "arn:aws:rds:us-east-1:123456789012:cluster-snapshot:rds:chaos01-2026-12-01-03-10",
                java.time.LocalDate.of(2026, 12, 1), java.time.Instant.parse("2026-12-01T03:10:00Z"));

        assertThat(snapshot.exportPrefix()).isEqualTo("exports/chaos01/2026-12-01");
        assertThat(snapshot.exportTaskId()).startsWith("snaplake-chaos01-20261201-");
        assertThat(ChaosSnapshots.snapshotCreatedEvent(snapshot))
                .contains("\"SourceIdentifier\":\"rds:chaos01-2026-12-01-03-10\"")
                .contains("\"SourceArn\":\"" + snapshot.arn() + "\"")
                .contains("\"EventID\":\"RDS-EVENT-0169\"");
    }
}
