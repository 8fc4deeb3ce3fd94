package io.snaplake.lab.chaos;

import io.snaplake.lab.chaos.ChaosFleet.Replica;
import io.snaplake.lab.chaos.ChaosSnapshots.Snapshot;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * What happens during the chaos window, on a seeded schedule: the days' RDS events arrive in waves (each
 * with one repeat, as EventBridge delivers at least once), the hostile inputs, each replica SIGKILLed once
 * and started again at once, the broker and the registry each stopped for a while and started again.
 */
final class ChaosSchedule {

    /** How long the broker and the registry stay down. */
    private static final Duration DOWN = Duration.ofSeconds(15);
    /** No kill in the first seconds: the first wave's events are on their way. */
    private static final long FIRST_KILL_MILLIS = 5_000;

    /** A step of the schedule. */
    private interface Step {
        void run() throws Exception;
    }

    private final ChaosStack stack;
    private final ChaosFleet fleet;
    private final Timeline timeline;
    private final Random random;
    private final long window;
    private final List<Future<?>> steps = new ArrayList<>();
    private final ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "snaplake-chaos");
        thread.setDaemon(true);
        return thread;
    });

    ChaosSchedule(ChaosStack stack, ChaosFleet fleet, Timeline timeline, long seed, Duration window) {
        this.stack = stack;
        this.fleet = fleet;
        this.timeline = timeline;
        this.random = new Random(seed);
        this.window = window.toMillis();
    }

    /** Runs the whole schedule from now on; returns once every step is done. */
    void run(List<Snapshot> snapshots, HostileInputs hostile) throws Exception {
        timeline.start();
        // The days arrive in waves across the window, so that work is in flight whenever something fails.
        List<LocalDate> days = snapshots.stream().map(Snapshot::date).distinct().sorted().toList();
        long waveGap = window / (days.size() + 1);
        for (int day = 0; day < days.size(); day++) {
            LocalDate date = days.get(day);
            List<Snapshot> wave = snapshots.stream().filter(s -> s.date().equals(date)).toList();
            at(day * waveGap, () -> deliver(wave, date));
        }
        at(waveGap / 2, () -> {
            hostile.injectIntoQueue(stack.aws(), stack.queueUrl(), snapshots.get(0));
            hostile.injectIntoTopics(stack.aws(), stack.kafka().bootstrapServers(), stack.registry().url(), snapshots.get(0));
            timeline.note("injected " + hostile.injected().size() + " hostile inputs (SQS and every consumed topic) and "
                    + hostile.ignoredByDesign().size() + " event of an unconfigured cluster");
        });
        for (Replica replica : fleet.replicas()) {
            at(FIRST_KILL_MILLIS + (long) (random.nextDouble() * (window - FIRST_KILL_MILLIS)), () -> {
                long[] pids = fleet.killAndRestart(replica);
                timeline.note("SIGKILL " + replica.name() + " (pid " + pids[0] + "), started again (pid " + pids[1] + ")");
            });
        }
        outage("Kafka broker", stack.kafka()::stop, stack.kafka()::restart);
        outage("schema registry", stack.registry()::stop, stack.registry()::restart);
        try {
            for (Future<?> step : steps) {
                step.get(window + Duration.ofMinutes(5).toMillis(), TimeUnit.MILLISECONDS);
            }
        } finally {
            executor.shutdownNow();
        }
    }

    private void deliver(List<Snapshot> wave, LocalDate date) {
        for (Snapshot snapshot : wave) {
            send(ChaosSnapshots.snapshotCreatedEvent(snapshot));
        }
        send(ChaosSnapshots.snapshotCreatedEvent(wave.get(0)));
        timeline.note("delivered " + wave.size() + " RDS-EVENT-0169 events (day " + date + ") and one repeat to SQS");
    }

    private void send(String event) {
        stack.aws().sqs.sendMessage(m -> m.queueUrl(stack.queueUrl()).messageBody(event));
    }

    /** {@code what} stopped at a random moment of the window's middle, started again {@link #DOWN} later. */
    private void outage(String what, Step stop, Step restart) {
        long from = (long) (window * (0.2 + 0.5 * random.nextDouble()));
        at(from, () -> {
            stop.run();
            timeline.note(what + " stopped");
            timeline.sleepUntil(from + DOWN.toMillis());
            restart.run();
            timeline.note(what + " started again (down " + DOWN.toSeconds() + " s)");
        });
    }

    /** Runs {@code step} at {@code millis} after the start, on its own thread. */
    private void at(long millis, Step step) {
        steps.add(executor.submit(() -> {
            timeline.sleepUntil(millis);
            step.run();
            return null;
        }));
    }
}
