package io.snaplake.exportscheduler;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The scheduler's durable state ({@code snaplake.export-scheduler.state.*}), checked at start-up.
 *
 * @param saveTimeout one save waits this long for the broker's acknowledgement before it is tried again
 *                    (the consumer binding retries a failed save with capped back-off for as long as the
 *                    broker is away; nothing is dead-lettered for it)
 */
@ConfigurationProperties("snaplake.export-scheduler.state")
public record ExportStateSettings(@DefaultValue("15s") Duration saveTimeout) {

    public ExportStateSettings {
        if (saveTimeout == null || saveTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("snaplake.export-scheduler.state.save-timeout must be at least 1s, got " + saveTimeout);
        }
    }
}
