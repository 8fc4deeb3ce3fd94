package io.snaplake.exportscheduler.domain;

/**
 * What the scheduler reports of itself: the queue, each cluster's export progress, and outcomes. In the
 * service these are Prometheus metrics (config's MicrometerExportMetrics).
 */
public interface ExportMetrics {

    /** What this replica tracks now, read whenever the metrics are scraped. */
    interface Queue {
        int waiting();

        int inProgress();

        /** Seconds since the export waiting longest for a slot was requested; 0 while none waits. */
        double oldestWaitingSeconds();
    }

    /** Called once, by the scheduler, with its queue. */
    void watch(Queue queue);

    /** The PercentProgress of the cluster's latest export. */
    void progress(String clusterId, int percent);

    /** An export task was started or adopted. */
    void started();

    void completed();

    /** An export was given up on (FAILED, CANCELED, refused, or its cluster not configured). */
    void failed();

    /** StartExportTask answered ExportTaskLimitReachedFault. */
    void limitReached();

    /** A waiting snapshot is predicted to get a slot only after its retention deletes it. */
    void expiryAtRisk();

    /** An ended export's state was deleted after the state retention. */
    void stateExpired();

    /** Assigned partitions' states could not be read back (tried again). */
    void restoreFailed();

    /** Reports nothing: for benchmarks and tests that do not look at metrics. */
    static ExportMetrics none() {
        return new ExportMetrics() {
            @Override
            public void watch(Queue queue) {
            }

            @Override
            public void progress(String clusterId, int percent) {
            }

            @Override
            public void started() {
            }

            @Override
            public void completed() {
            }

            @Override
            public void failed() {
            }

            @Override
            public void limitReached() {
            }

            @Override
            public void expiryAtRisk() {
            }

            @Override
            public void stateExpired() {
            }

            @Override
            public void restoreFailed() {
            }
        };
    }
}
