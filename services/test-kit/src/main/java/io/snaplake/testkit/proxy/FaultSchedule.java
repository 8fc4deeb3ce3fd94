package io.snaplake.testkit.proxy;

import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Decides, request by request, whether the proxy answers with an error and when, and counts what it decided.
 * In order: an outage answers every request; then the first N matching requests fail; then the random
 * {@link FaultPlan}, unless calmed.
 */
final class FaultSchedule {

    /** What to do with one request: answer {@code before} instead of forwarding, or forward and answer 500 {@code after}. */
    record Decision(AwsError before, boolean after) {
        static final Decision PASS = new Decision(null, false);
        static final Decision AFTER = new Decision(null, true);
    }

    private final FaultPlan plan;
    private final Random random;
    private final AtomicInteger firstLeft;
    private final Predicate<AwsCall> firstMatching;
    private final AwsError firstError;
    private final Map<Fault, AtomicLong> faultsBefore = new EnumMap<>(Fault.class);
    private final AtomicLong faultsAfter = new AtomicLong();
    private final AtomicLong failedFirst = new AtomicLong();
    private final AtomicLong failedDuringOutage = new AtomicLong();
    private volatile FaultPlan activePlan;
    private volatile AwsError outage;

    FaultSchedule(FaultPlan plan, int failFirst, Predicate<AwsCall> firstMatching, AwsError firstError) {
        this.plan = plan;
        this.activePlan = plan;
        this.random = new Random(plan.seed());
        this.firstLeft = new AtomicInteger(failFirst);
        this.firstMatching = firstMatching;
        this.firstError = firstError;
        for (Fault fault : Fault.values()) {
            faultsBefore.put(fault, new AtomicLong());
        }
    }

    Decision decide(AwsCall call) {
        AwsError down = outage;
        if (down != null) {
            failedDuringOutage.incrementAndGet();
            return new Decision(down, false);
        }
        if (firstMatching.test(call) && firstLeft.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
            failedFirst.incrementAndGet();
            return new Decision(firstError, false);
        }
        FaultPlan current = activePlan;
        if (current.rate() == 0) {
            return Decision.PASS;
        }
        Fault fault;
        synchronized (random) {
            if (random.nextDouble() >= current.rate()) {
                return Decision.PASS;
            }
            if (random.nextDouble() < current.afterForwardShare()) {
                return Decision.AFTER;
            }
            fault = Fault.values()[random.nextInt(Fault.values().length)];
        }
        faultsBefore.get(fault).incrementAndGet();
        return new Decision(AwsError.of(fault, call.protocol()), false);
    }

    /** A request answered 500 after it took effect. */
    void faultedAfter() {
        faultsAfter.incrementAndGet();
    }

    void calm() {
        activePlan = FaultPlan.none();
    }

    void resume() {
        activePlan = plan;
    }

    void startOutage(AwsError error) {
        outage = error;
    }

    void endOutage() {
        outage = null;
    }

    Map<Fault, Long> faultsBefore() {
        Map<Fault, Long> counts = new EnumMap<>(Fault.class);
        faultsBefore.forEach((fault, count) -> counts.put(fault, count.get()));
        return counts;
    }

    long faultsAfter() {
        return faultsAfter.get();
    }

    long failedFirst() {
        return failedFirst.get();
    }

    long failedDuringOutage() {
        return failedDuringOutage.get();
    }
}
