package io.snaplake.exportscheduler.messaging;

import io.snaplake.events.SnapshotCreated;
import io.snaplake.exportscheduler.domain.ExportScheduler;
import java.util.function.Consumer;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;

/**
 * The {@code scheduleExport} function: records each SnapshotCreated's request durably, with the input partition
 * it came from, and returns; the export itself is driven by the scheduler's own thread.
 */
public final class ScheduleExportConsumer implements Consumer<Message<SnapshotCreated>> {

    private final ExportScheduler scheduler;

    public ScheduleExportConsumer(ExportScheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    public void accept(Message<SnapshotCreated> message) {
        scheduler.request(message.getPayload(), message.getHeaders().get(KafkaHeaders.RECEIVED_PARTITION, Integer.class));
    }
}
