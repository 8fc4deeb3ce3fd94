package io.snaplake.lab.chaos;

import java.io.PrintStream;

/** What the chaos run did when, printed as it happens, in seconds since the first events. */
final class Timeline {

    private final PrintStream out;
    private volatile long start;

    Timeline(PrintStream out) {
        this.out = out;
    }

    void start() {
        start = System.currentTimeMillis();
    }

    /** Waits until {@code millis} after the start: the chaos plan's schedule, not a wait for a condition. */
    void sleepUntil(long millis) throws InterruptedException {
        long left = start + millis - System.currentTimeMillis();
        if (left > 0) {
            Thread.sleep(left);
        }
    }

    synchronized void note(String what) {
        out.printf("  [%6.1fs] %s%n", (System.currentTimeMillis() - start) / 1000.0, what);
    }
}
