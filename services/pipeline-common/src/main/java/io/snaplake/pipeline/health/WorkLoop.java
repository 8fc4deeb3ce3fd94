package io.snaplake.pipeline.health;

/**
 * A piece of a service's work that readiness watches beside its consumers: a scheduler loop, a queue poller,
 * a history tail. Declare an implementation as a bean and {@link WorkReadinessIndicator} includes it: the
 * service is ready only while every work loop says it is working.
 *
 * <p>Say {@link State#working} while the loop runs as it should, including while it waits out an outage
 * with back-off (waiting is its work then); say {@link State#stopped} when it died or gave up (its thread
 * ended, an unexpected exception escaped, it has not ticked for much longer than its interval).
 */
public interface WorkLoop {

    /** Shown in the health details, e.g. {@code export-scheduler-loop}. */
    String name();

    State state();

    /** Whether the loop is doing its work, and a short word on it for the health details. */
    record State(boolean isWorking, String detail) {

        public static State working(String detail) {
            return new State(true, detail);
        }

        public static State stopped(String detail) {
            return new State(false, detail);
        }
    }
}
