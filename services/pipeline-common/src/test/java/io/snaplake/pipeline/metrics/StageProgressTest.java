package io.snaplake.pipeline.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.snaplake.events.EventMetadata;
import io.snaplake.events.SnapshotRef;
import io.snaplake.pipeline.FailureEvents;
import io.snaplake.pipeline.Stage;
import io.snaplake.testkit.TestEvents;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What Prometheus scrapes from a stage's progress, in its exposition format (the names the alert rules use). */
class StageProgressTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final StageProgress progress = new StageProgress(registry, Stage.CRAWLER_RUNNER);

    @Test
    void exportsTheLastCompletedDay_perCluster_asTheDaysStartInEpochSeconds() {
        progress.completed(snapshot("orders", "2026-11-20"));
        progress.completed(snapshot("billing", "2026-11-19"));

        assertThat(scraped("snaplake_stage_last_completed_day_seconds")).containsExactlyInAnyOrder(
                "snaplake_stage_last_completed_day_seconds{cluster=\"billing\",stage=\"crawler-runner\"} 1.7950464E9",
                "snaplake_stage_last_completed_day_seconds{cluster=\"orders\",stage=\"crawler-runner\"} 1.7951328E9");
        assertThat(scraped("snaplake_stage_completed_total")).containsExactlyInAnyOrder(
                "snaplake_stage_completed_total{cluster=\"billing\",stage=\"crawler-runner\"} 1.0",
                "snaplake_stage_completed_total{cluster=\"orders\",stage=\"crawler-runner\"} 1.0");
    }

    @Test
    void keepsTheLatestDay_whenAnOlderDayIsReplayed() {
        progress.completed(snapshot("orders", "2026-11-20"));
        progress.completed(snapshot("orders", "2026-11-18"));

        assertThat(scraped("snaplake_stage_last_completed_day_seconds")).containsExactly(
                "snaplake_stage_last_completed_day_seconds{cluster=\"orders\",stage=\"crawler-runner\"} 1.7951328E9");
        assertThat(scraped("snaplake_stage_completed_total")).containsExactly(
                "snaplake_stage_completed_total{cluster=\"orders\",stage=\"crawler-runner\"} 2.0");
    }

    @Test
    void countsFailures_perClusterAndReason() {
        progress.failed(FailureEvents.failure(metadata(), snapshot("orders", "2026-11-20"), Stage.CRAWLER_RUNNER,
                "TABLE_NOT_CATALOGUED", "public.orders could not be catalogued", false, Map.of()));

        assertThat(scraped("snaplake_stage_failures_total")).containsExactly(
                "snaplake_stage_failures_total{cluster=\"orders\",reason=\"TABLE_NOT_CATALOGUED\",stage=\"crawler-runner\"} 1.0");
        assertThat(scraped("snaplake_stage_last_completed_day_seconds")).isEmpty();
    }

    private java.util.List<String> scraped(String metric) {
        return registry.scrape().lines().filter(line -> line.startsWith(metric + "{")).toList();
    }

    private static SnapshotRef snapshot(String cluster, String day) {
        return TestEvents.clusterSnapshot(cluster, LocalDate.parse(day)).build();
    }

    private static EventMetadata metadata() {
        return EventMetadata.newBuilder().setEventId("evt-1").setRunId("run-1")
                .setOccurredAt(Instant.parse("2026-11-20T06:00:00Z")).setProducer("crawler-runner").build();
    }
}
