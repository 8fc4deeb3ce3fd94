package io.snaplake.exportscheduler.domain;

import io.snaplake.events.ExportCompleted;
import io.snaplake.events.ExportStarted;
import io.snaplake.events.PipelineFailure;

/** Emits the scheduler's events; each call returns once the event is written. */
public interface ExportEventPublisher {

    void exportStarted(ExportStarted event);

    void exportCompleted(ExportCompleted event);

    void exportFailed(PipelineFailure event);
}
