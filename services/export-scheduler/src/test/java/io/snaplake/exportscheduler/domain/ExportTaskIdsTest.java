package io.snaplake.exportscheduler.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snaplake.events.SnapshotRef;
import io.snaplake.exportscheduler.Snapshots;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExportTaskIdsTest {

    private static final Instant AT = Instant.parse("2026-11-20T03:10:00Z");

    @Test
    void isTheSame_forTheSameSnapshotAndAttempt() {
        SnapshotRef snapshot = Snapshots.snapshot("orders", AT);

        assertThat(ExportTaskIds.forSnapshot(snapshot, 1)).isEqualTo(ExportTaskIds.forSnapshot(Snapshots.snapshot("orders", AT), 1))
                .startsWith("snaplake-orders-20261120-");
    }

    @Test
    void differs_betweenAttempts_andBetweenSnapshots() {
        SnapshotRef snapshot = Snapshots.snapshot("orders", AT);

        assertThat(List.of(ExportTaskIds.forSnapshot(snapshot, 1), ExportTaskIds.forSnapshot(snapshot, 2),
                ExportTaskIds.forSnapshot(Snapshots.snapshot("orders", AT.plusSeconds(3600)), 1),
                ExportTaskIds.forSnapshot(Snapshots.snapshot("billing", AT), 1))).doesNotHaveDuplicates();
        assertThat(ExportTaskIds.forSnapshot(snapshot, 2)).endsWith("-a2");
    }

    @Test
    void obeysRdsRules_forAwkwardClusterNames() {
        for (String cluster : List.of("orders", "Orders_DB--prod-", "a".repeat(63), "x-" + "y".repeat(58) + "-", "9lives", "--", "db.prod.eu")) {
            for (int attempt : List.of(1, 2, 123)) {
                String id = ExportTaskIds.forSnapshot(Snapshots.snapshot(cluster, AT), attempt);
                assertThat(ExportTaskIds.isValid(id)).as(id).isTrue();
                assertThat(id).hasSizeLessThanOrEqualTo(60).matches("[a-z][a-z0-9-]*[a-z0-9]").doesNotContain("--");
            }
        }
    }

    @Test
    void keepsLongClusterNamesApart_byTheSnapshotHash() {
        String longName = "a".repeat(50);

        assertThat(ExportTaskIds.forSnapshot(Snapshots.snapshot(longName + "-one", AT), 1))
                .isNotEqualTo(ExportTaskIds.forSnapshot(Snapshots.snapshot(longName + "-two", AT), 1));
    }

    @Test
    void refusesAttemptZero() {
        assertThatThrownBy(() -> ExportTaskIds.forSnapshot(Snapshots.snapshot("orders", AT), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
