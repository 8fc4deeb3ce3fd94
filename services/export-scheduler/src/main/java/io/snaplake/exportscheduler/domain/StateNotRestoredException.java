package io.snaplake.exportscheduler.domain;

import io.snaplake.pipeline.DependencyUnavailableException;

/**
 * A request came from an input partition whose export states are still being read back (this replica was
 * just assigned it, and the state topic did not answer yet). Handling the request now could overwrite an
 * export's COMPLETED state with a new WAITING one, so it is refused: an outage of the state topic, which the
 * consumer waits out, trying the request again, never a reason to dead-letter it.
 */
public final class StateNotRestoredException extends DependencyUnavailableException {

    public StateNotRestoredException(int partition) {
        super("the export states of input partition " + partition + " are not read back yet; the request is tried again later", null);
    }
}
