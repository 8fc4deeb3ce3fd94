package io.snaplake.snapshotlistener.worker;

import io.snaplake.snapshotlistener.domain.EventQueue;
import io.snaplake.snapshotlistener.domain.EventQueue.QueuedMessage;
import io.snaplake.snapshotlistener.domain.ListenerMetrics;
import io.snaplake.snapshotlistener.domain.SnapshotEventProcessor;
import io.snaplake.snapshotlistener.kafka.SnapshotHistoryReader;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Receives RDS events from the queue on one thread, one message after the other. A message whose
 * handling fails stays on the queue: SQS delivers it again after its visibility timeout, and after the
 * queue's maxReceiveCount its redrive policy moves it to the dead-letter queue.
 */
public final class QueuePoller implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(QueuePoller.class);
    // After a failed receive (SQS unreachable), wait before asking again rather than spinning.
    private static final Duration RECEIVE_BACKOFF = Duration.ofSeconds(5);

    private final EventQueue queue;
    private final SnapshotEventProcessor processor;
    private final ListenerMetrics metrics;

    private volatile boolean running;
    private volatile Thread polling;

    public QueuePoller(EventQueue queue, SnapshotEventProcessor processor, ListenerMetrics metrics) {
        this.queue = queue;
        this.processor = processor;
        this.metrics = metrics;
    }

    @Override
    public void start() {
        running = true;
        polling = new Thread(this::poll, "rds-event-queue");
        polling.start();
    }

    private void poll() {
        while (running) {
            try {
                for (QueuedMessage message : queue.receive()) {
                    processOne(message);
                }
            } catch (RuntimeException receiveFailed) {
                if (!running) {
                    return;
                }
                log.warn("Receiving from the RDS event queue failed; trying again in {}", RECEIVE_BACKOFF, receiveFailed);
                pause();
            }
        }
    }

    private void processOne(QueuedMessage message) {
        try {
            processor.process(message);
        } catch (RuntimeException failed) {
            // Not deleting the message is the retry: the queue hands it out again later.
            metrics.eventFailed();
            log.warn("Message {} left on the queue for another attempt: {}", message.id(), failed.toString());
        }
    }

    private void pause() {
        try {
            Thread.sleep(RECEIVE_BACKOFF.toMillis());
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
