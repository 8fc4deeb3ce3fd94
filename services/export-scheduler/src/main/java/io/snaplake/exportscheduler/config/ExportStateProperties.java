package io.snaplake.exportscheduler.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The scheduler's durable state ({@code snaplake.export-scheduler.state.*}), checked at start-up.
 *
 * @param saveTimeout one save waits this long for the broker's acknowledgement before it is tried again
 *                    (the consumer binding retries a failed save with capped back-off for as long as the
 *                    broker is away; nothing is dead-lettered for it)
 * @param retention   a COMPLETED or FAILED state is deleted (a tombstone) this long after its export
 *                    ended. Longer than RDS keeps automated snapshots (35 days at most) by default, so
 *                    a state outlives its snapshot; a request for a snapshot older than this with no
 *                    state is not exported again unless forced, whatever the value
 */
@ConfigurationProperties("snaplake.export-scheduler.state")
public record ExportStateProperties(@DefaultValue("15s") Duration saveTimeout, @DefaultValue("40d") Duration retention) {

    public ExportStateProperties {
        if (saveTimeout == null || saveTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("snaplake.export-scheduler.state.save-timeout must be at least 1s, got " + saveTimeout);
        }
        if (retention == null || retention.compareTo(Duration.ofDays(1)) < 0) {
            throw new IllegalArgumentException("snaplake.export-scheduler.state.retention must be at least 1d"
                    + " (a snapshot's export must be remembered while it can be redelivered), got " + retention);
        }
    }
}
