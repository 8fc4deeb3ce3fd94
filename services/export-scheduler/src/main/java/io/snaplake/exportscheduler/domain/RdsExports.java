package io.snaplake.exportscheduler.domain;

import java.util.Optional;

/**
 * The RDS export API as the scheduler needs it. Errors are the exceptions of {@link RdsExportException}:
 * the one SDK-backed implementation maps AWS error codes onto them.
 */
public interface RdsExports {

    /**
     * Calls StartExportTask.
     *
     * @throws RdsExportException.LimitReached       the account has its maximum of exports running
     * @throws RdsExportException.AlreadyExists      a task with this identifier exists
     * @throws RdsExportException.Permanent          retrying the same call cannot succeed
     * @throws RdsExportException.Transient          throttling, 5xx, network: retry later
     */
    ExportTask start(StartExportRequest request);

    /** The task with this identifier, if AWS knows it. */
    Optional<ExportTask> find(String exportTaskId);

    /** How many export tasks of the account and region hold a slot (STARTING or IN_PROGRESS), whoever started them. */
    int countInProgress();
}
