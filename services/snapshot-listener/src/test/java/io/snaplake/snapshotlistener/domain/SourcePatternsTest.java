package io.snaplake.snapshotlistener.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snaplake.events.SnapshotSourceType;
import java.util.List;
import org.junit.jupiter.api.Test;

class SourcePatternsTest {

    @Test
    void matchesExactNamesAndPrefixes_ignoringCase() {
        SourcePatterns patterns = SourcePatterns.of(List.of("orders", " billing-* "));

        assertThat(patterns.matches("orders")).isTrue();
        assertThat(patterns.matches("ORDERS")).isTrue();
        assertThat(patterns.matches("billing-eu")).isTrue();
        assertThat(patterns.matches("billing-")).isTrue();
        assertThat(patterns.matches("orders-archive")).as("exact name is no prefix").isFalse();
        assertThat(patterns.matches("billing")).isFalse();
        assertThat(patterns.matches("payments")).isFalse();
    }

    @Test
    void rejectsStarsAnywhereButAtTheEnd_andBlankEntries() {
        for (String bad : List.of("*", "bill*ing", "*orders", "a**", " ")) {
            assertThatThrownBy(() -> SourcePatterns.of(List.of(bad)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("prefix ending in *");
        }
    }

    @Test
    void keepsClusterAndInstanceSourcesApart() {
        ConfiguredSources sources = new ConfiguredSources(SourcePatterns.of(List.of("orders")), SourcePatterns.of(List.of("legacy-*")));

        assertThat(sources.includes(SnapshotSourceType.CLUSTER, "orders")).isTrue();
        assertThat(sources.includes(SnapshotSourceType.INSTANCE, "orders")).isFalse();
        assertThat(sources.includes(SnapshotSourceType.INSTANCE, "legacy-crm")).isTrue();
        assertThat(sources.includes(SnapshotSourceType.CLUSTER, "legacy-crm")).isFalse();
    }
}
