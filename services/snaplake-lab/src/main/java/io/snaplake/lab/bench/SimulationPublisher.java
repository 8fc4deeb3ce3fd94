package io.snaplake.lab.bench;

import io.snaplake.events.ExportCompleted;
import io.snaplake.events.ExportStarted;
import io.snaplake.events.PipelineFailure;
import io.snaplake.exportscheduler.domain.ExportEventPublisher;

/**
 * The schedule simulations' publisher: the benchmarks measure exports on the simulated RDS, so the events
 * are dropped. Snapshot-expiry warnings are counted where a simulation expects them; any other export failure
 * is a defect of the simulation.
 */
final class SimulationPublisher implements ExportEventPublisher {

    private static final String EXPIRY_WARNING = "SNAPSHOT_MAY_EXPIRE_BEFORE_EXPORT";

    private final boolean expiryWarningsExpected;
    private int expiryWarnings;

    SimulationPublisher(boolean expiryWarningsExpected) {
        this.expiryWarningsExpected = expiryWarningsExpected;
    }

    int expiryWarnings() {
        return expiryWarnings;
    }

    @Override
    public void exportStarted(ExportStarted event) {
    }

    @Override
    public void exportCompleted(ExportCompleted event) {
    }

    @Override
    public void exportFailed(PipelineFailure event) {
        if (expiryWarningsExpected && event.getReason().equals(EXPIRY_WARNING)) {
            expiryWarnings++;
            return;
        }
        throw new IllegalStateException("an export failed in the simulation: " + event.getMessage());
    }
}
