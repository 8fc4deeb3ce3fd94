package io.snaplake.exportscheduler.config;

import io.snaplake.exportscheduler.domain.ExecutorSchedulerTimer;
import java.time.Duration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** Part of readiness: the scheduler is ready only while its loop runs its passes (see application.yml). */
final class SchedulerLoopHealth implements HealthIndicator {

    private final ExecutorSchedulerTimer loop;
    private final Duration tolerance;

    /** @param tolerance how long a pass may run, or be late, before the loop counts as stalled */
    SchedulerLoopHealth(ExecutorSchedulerTimer loop, Duration tolerance) {
        this.loop = loop;
        this.tolerance = tolerance;
    }

    @Override
    public Health health() {
        return loop.stalled(tolerance)
                .map(reason -> Health.down().withDetail("reason", reason).build())
                .orElseGet(() -> Health.up().build());
    }
}
