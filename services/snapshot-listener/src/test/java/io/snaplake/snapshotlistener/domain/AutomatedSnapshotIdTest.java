package io.snaplake.snapshotlistener.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class AutomatedSnapshotIdTest {

    @Test
    void derivesClusterAndDate_fromAnAutomatedIdentifier() {
        assertThat(AutomatedSnapshotId.parse("rds:orders-2026-11-20-03-10")).contains(
                new AutomatedSnapshotId("rds:orders-2026-11-20-03-10", "orders", LocalDateTime.of(2026, 11, 20, 3, 10)));
        assertThat(AutomatedSnapshotId.parse("rds:orders-2026-11-20-03-10").orElseThrow().snapshotDate())
                .isEqualTo(LocalDate.of(2026, 11, 20));
    }

    @Test
    void keepsDashesAndDigitsOfTheSourceName() {
        assertThat(AutomatedSnapshotId.parse("rds:billing-eu-2024-2026-01-02-23-59").orElseThrow().sourceId())
                .isEqualTo("billing-eu-2024");
    }

    @Test
    void recognisesNoDate_inAManualSnapshotIdentifier() {
        assertThat(AutomatedSnapshotId.parse("rds:my-db-cluster-snapshot")).isEmpty();
        assertThat(AutomatedSnapshotId.parse("before-migration")).isEmpty();
        assertThat(AutomatedSnapshotId.parse("orders-2026-11-20-03-10")).as("no rds: prefix").isEmpty();
        assertThat(AutomatedSnapshotId.parse(null)).isEmpty();
    }

    @Test
    void rejectsATimestampThatIsNoDate() {
        assertThat(AutomatedSnapshotId.parse("rds:orders-2026-13-20-03-10")).isEmpty();
        assertThat(AutomatedSnapshotId.parse("rds:orders-2026-02-30-03-10")).isEmpty();
    }
}
