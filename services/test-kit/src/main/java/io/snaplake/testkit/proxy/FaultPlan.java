package io.snaplake.testkit.proxy;

/**
 * A seeded fraction of requests answered with a {@link Fault}: most before forwarding (the request never
 * reached the service), a share after (it took effect, and the client sees a 5xx all the same and retries,
 * which tests the idempotency of what it retries).
 *
 * @param rate              the fraction of requests faulted, in [0, 1]
 * @param seed              seeds the choice of requests and of faults, so a run can be repeated
 * @param afterForwardShare the fraction of faulted requests answered 500 after they took effect, in [0, 1]
 */
public record FaultPlan(double rate, long seed, double afterForwardShare) {

    public FaultPlan {
        if (rate < 0 || rate > 1 || afterForwardShare < 0 || afterForwardShare > 1) {
            throw new IllegalArgumentException("rate and afterForwardShare are fractions in [0, 1], got "
                    + rate + " and " + afterForwardShare);
        }
    }

    /** No faults. */
    public static FaultPlan none() {
        return new FaultPlan(0, 0, 0);
    }
}
