package io.snaplake.snapshotlistener.messaging;

import io.snaplake.pipeline.retry.RetryPolicy;
import io.snaplake.snapshotlistener.domain.EventQueue;
import io.snaplake.snapshotlistener.domain.EventQueue.QueuedMessage;
import io.snaplake.snapshotlistener.domain.ListenerMetrics;
import io.snaplake.snapshotlistener.domain.SnapshotEventProcessor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Receives RDS events from the queue on one thread, one message after the other. A message whose event
 * cannot be written is tried again for as long as the outage lasts, kept hidden on the queue meanwhile;
 * on shutdown what was not handled goes back to the queue (docs/design/snapshot-listener.md).
 */
public final class QueuePoller implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(QueuePoller.class);
    // After a failed receive (SQS unreachable), wait before asking again rather than spinning.
    private static final Duration RECEIVE_BACKOFF = Duration.ofSeconds(5);

    private final EventQueue queue;
    private final SnapshotEventProcessor processor;
    private final ListenerMetrics metrics;
    private final Duration visibilityTimeout;
    /** The waits between tries of one message (its capped, unjittered backoff); tries go on while the outage lasts. */
    private final RetryPolicy retry;
    /** Received and not yet deleted: kept hidden by {@link #keepInHandHidden} while they wait. */
    private final List<QueuedMessage> inHand = new CopyOnWriteArrayList<>();

    private volatile boolean running;
    private volatile Thread polling;
    private ScheduledExecutorService visibilityKeeper;

    public QueuePoller(EventQueue queue, SnapshotEventProcessor processor, ListenerMetrics metrics, Duration visibilityTimeout,
            Duration retryInitialBackoff, Duration retryMaxBackoff) {
        this.queue = queue;
        this.processor = processor;
        this.metrics = metrics;
        this.visibilityTimeout = visibilityTimeout;
        this.retry = new RetryPolicy(Integer.MAX_VALUE, retryInitialBackoff, retryMaxBackoff);
    }

    @Override
    public void start() {
        running = true;
        visibilityKeeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "rds-event-queue-visibility");
            thread.setDaemon(true);
            return thread;
        });
        long every = Math.max(1, visibilityTimeout.toMillis() / 3);
        visibilityKeeper.scheduleWithFixedDelay(this::keepInHandHidden, every, every, TimeUnit.MILLISECONDS);
        polling = new Thread(this::poll, "rds-event-queue");
        polling.start();
    }

    private void poll() {
        while (running) {
            List<QueuedMessage> received;
            try {
                received = queue.receive();
            } catch (RuntimeException receiveFailed) {
                if (!running) {
                    return;
                }
                log.warn("Receiving from the RDS event queue failed; trying again in {}", RECEIVE_BACKOFF, receiveFailed);
                sleep(RECEIVE_BACKOFF);
                continue;
            }
            inHand.addAll(received);
            for (QueuedMessage message : received) {
                if (!running) {
                    break;
                }
                processUntilDone(message);
            }
        }
        handBack();
    }

    /** Handles a message, trying again for as long as writing its event fails; gives up only on shutdown. */
    private void processUntilDone(QueuedMessage message) {
        for (int attempt = 1; running; attempt++) {
            try {
                processor.process(message);
                inHand.remove(message);
                return;
            } catch (RuntimeException failed) {
                metrics.eventFailed();
                Duration backoff = retry.backoffCap(attempt);
                log.warn("Message {} not handled yet (attempt {}): {}; kept hidden on the queue, trying again in {}",
                        message.id(), attempt, failed.toString(), backoff);
                sleep(backoff);
            }
        }
    }

    private void keepInHandHidden() {
        List<QueuedMessage> waiting = List.copyOf(inHand);
        if (waiting.isEmpty()) {
            return;
        }
        try {
            queue.keepHidden(waiting, visibilityTimeout);
        } catch (RuntimeException e) {
            // SQS itself away: the messages may come back after their timeout; that delivery is handled as usual.
            log.warn("Could not keep {} messages hidden on the queue: {}", waiting.size(), e.toString());
        }
    }

    /** Shutting down: what was received and not handled goes back to the queue now, not after its timeout. */
    private void handBack() {
        List<QueuedMessage> unhandled = new ArrayList<>(inHand);
        inHand.clear();
        if (unhandled.isEmpty()) {
            return;
        }
        // stop() interrupted this thread; the SDK would abort the call at once.
        boolean interrupted = Thread.interrupted();
        try {
            queue.keepHidden(unhandled, Duration.ZERO);
        } catch (RuntimeException e) {
            log.warn("Could not hand {} messages back to the queue; they come back after their visibility timeout: {}",
                    unhandled.size(), e.toString());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void stop() {
        running = false;
        Thread thread = polling;
        if (thread != null) {
            // A long poll in progress ends within the configured wait time (at most 20 s).
            thread.interrupt();
            try {
                thread.join(Duration.ofSeconds(25).toMillis());
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (visibilityKeeper != null) {
            visibilityKeeper.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return SnapshotHistoryReader.PHASE + 1;
    }
}
