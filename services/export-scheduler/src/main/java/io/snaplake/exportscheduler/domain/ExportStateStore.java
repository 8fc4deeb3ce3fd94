package io.snaplake.exportscheduler.domain;

import io.snaplake.events.ExportTaskState;
import io.snaplake.events.SnapshotRef;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Where the scheduler keeps what is waiting, running and done, so that it survives a crash. A save
 * returns only once the state is durable.
 */
public interface ExportStateStore {

    /**
     * @param partition the partition of the SnapshotCreated the export came from: its owner owns the state
     */
    void save(ExportTaskState state, int partition);

    /** Deletes the snapshot's state (an expired one); returns only once the deletion is durable. */
    void delete(SnapshotRef snapshot, int partition);

    /**
     * The latest state of every snapshot on these partitions.
     *
     * @throws RuntimeException when the store cannot be read now (the caller tries again later)
     */
    Map<Integer, List<ExportTaskState>> restore(Collection<Integer> partitions);
}
