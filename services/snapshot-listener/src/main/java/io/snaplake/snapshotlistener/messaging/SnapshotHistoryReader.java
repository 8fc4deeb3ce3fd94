package io.snaplake.snapshotlistener.messaging;

import io.snaplake.events.SnapshotCreated;
import io.snaplake.snapshotlistener.domain.EmittedSnapshots;
import io.snaplake.snapshotlistener.domain.ListenerMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Reads the SnapshotCreated topic from the beginning into {@link EmittedSnapshots}, then keeps tailing it so
 * that other replicas' emissions are seen; start-up blocks until the topic is read up to its end at start.
 * Every replica sees every partition: a plain consumer, partitions assigned, no group, nothing committed.
 */
public final class SnapshotHistoryReader implements SmartLifecycle {

    /** Before the queue poller and the sweep (which emit), after nothing. */
    public static final int PHASE = 0;

    private static final Logger log = LoggerFactory.getLogger(SnapshotHistoryReader.class);
    private static final Duration POLL = Duration.ofSeconds(1);

    private final String topic;
    private final Map<String, Object> consumerProperties;
    private final EmittedSnapshots emitted;
    private final ListenerMetrics metrics;
    private final Duration loadTimeout;

    private volatile KafkaConsumer<String, Object> consumer;
    private volatile Thread tailing;
    private volatile boolean running;
    /** Why the tail stopped, when it died of an error; null while it runs (or before it started). */
    private volatile String failure;

    public SnapshotHistoryReader(String topic, Map<String, Object> consumerProperties, EmittedSnapshots emitted,
            ListenerMetrics metrics, Duration loadTimeout) {
        this.topic = topic;
        this.consumerProperties = consumerProperties;
        this.emitted = emitted;
        this.metrics = metrics;
        this.loadTimeout = loadTimeout;
    }

    @Override
    public void start() {
        Map<String, Object> properties = new HashMap<>(consumerProperties);
        properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer = new KafkaConsumer<>(properties);
        try {
            loadHistory();
        } catch (RuntimeException failed) {
            consumer.close();
            throw failed;
        }
        running = true;
        tailing = new Thread(this::tail, "snapshot-history-tail");
        tailing.setDaemon(true);
        tailing.start();
    }

    private void loadHistory() {
        List<PartitionInfo> partitions = consumer.partitionsFor(topic, loadTimeout);
        if (partitions == null || partitions.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " does not exist; create it before starting the listener "
                    + "(topics are never created on first use)");
        }
        List<TopicPartition> assigned = partitions.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(assigned);
        consumer.seekToBeginning(assigned);
        Map<TopicPartition, Long> endAtStart = consumer.endOffsets(assigned, loadTimeout);
        Instant deadline = Instant.now().plus(loadTimeout);
        while (!reached(endAtStart)) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("could not read " + topic + " up to " + endAtStart + " within "
                        + loadTimeout + " (snaplake.listener.history-load-timeout)");
            }
            consumer.poll(POLL).forEach(this::remember);
        }
        emitted.markCaughtUp();
        log.info("Read {} earlier SnapshotCreated events from {}", emitted.size(), topic);
    }

    private boolean reached(Map<TopicPartition, Long> endOffsets) {
        return endOffsets.entrySet().stream().allMatch(end -> consumer.position(end.getKey()) >= end.getValue());
    }

    private void tail() {
        try {
            while (running) {
                consumer.poll(POLL).forEach(this::remember);
            }
        } catch (WakeupException stopping) {
            // stop() woke the consumer up; nothing left to do but close it.
        } catch (RuntimeException failed) {
            // Without the tail, another replica's emission could go unseen and be repeated here: stop
            // emitting (queue messages wait on the queue, requests get 503) until a restart reloads.
            emitted.markOutOfDate();
            failure = failed.toString();
            running = false;
            log.error("Stopped reading {}; no snapshot will be announced until the service restarts", topic, failed);
        } finally {
            consumer.close();
        }
    }

    private void remember(ConsumerRecord<String, Object> record) {
        if (record.value() instanceof SnapshotCreated event) {
            emitted.remember(event.getSnapshot().getSnapshotArn(), event.getMetadata().getEventId());
        } else {
            // The deserializer hands over null for a record it could not read. This topic has one writer,
            // this service, so such a record is a bug elsewhere: count it and go on.
            metrics.unreadableHistoryRecord();
            log.warn("Skipping unreadable record {}-{}@{} of {}", record.topic(), record.partition(), record.offset(), topic);
        }
    }

    /**
     * Whether the tail follows the topic: without it another replica's emissions go unseen, so the
     * listener announces nothing (readiness DOWN).
     *
     * @return empty while it does; else why not
     */
    public Optional<String> notFollowing() {
        if (failure != null) {
            return Optional.of("the tail of " + topic + " died: " + failure + " (restart the service)");
        }
        Thread thread = tailing;
        if (!running || thread == null || !thread.isAlive()) {
            return Optional.of("the tail of " + topic + " is not running");
        }
        return Optional.empty();
    }

    @Override
    public void stop() {
        running = false;
        KafkaConsumer<String, Object> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        Thread thread = tailing;
        if (thread != null) {
            try {
                thread.join(Duration.ofSeconds(10).toMillis());
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
        return PHASE;
    }
}
