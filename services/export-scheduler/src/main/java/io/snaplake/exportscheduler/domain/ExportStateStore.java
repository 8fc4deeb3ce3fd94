package io.snaplake.exportscheduler.domain;

import io.snaplake.events.ExportTaskState;

/**
 * Where the scheduler keeps what is waiting, running and done, so that it survives a crash. A save
 * returns only once the state is durable.
 */
public interface ExportStateStore {

    /**
     * @param partition the partition of the SnapshotCreated the export came from: its owner owns the state
     */
    void save(ExportTaskState state, int partition);
}
