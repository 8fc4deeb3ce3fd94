package io.snaplake.lab.demo;

import io.snaplake.events.EventMetadata;
import io.snaplake.events.ExportCompleted;
import io.snaplake.events.ExportStarted;
import io.snaplake.events.ParquetCopied;
import io.snaplake.events.PipelineFailure;
import io.snaplake.events.SnapshotCreated;
import io.snaplake.events.SnapshotRef;
import io.snaplake.events.TableCopyResult;
import io.snaplake.pipeline.Topic;
import io.snaplake.serde.AvroDeserializer;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads every pipeline topic from the beginning and prints each event as it arrives, so that the demo
 * shows a snapshot travelling through the stages; it also keeps what it saw for the summary.
 */
final class PipelineWatcher implements AutoCloseable {

    /** One event seen on a topic. */
    record Seen(Topic topic, Instant at, SpecificRecord event) {

        SnapshotRef snapshot() {
            Object snapshot = event.get(event.getSchema().getField("snapshot").pos());
            return (SnapshotRef) snapshot;
        }

        EventMetadata metadata() {
            return (EventMetadata) event.get(event.getSchema().getField("metadata").pos());
        }
    }

    private final KafkaConsumer<String, Object> consumer;
    private final PrintStream out;
    private final Instant start = Instant.now();
    private final List<Seen> seen = new ArrayList<>();

    PipelineWatcher(String bootstrapServers, String registryUrl, PrintStream out) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        AvroDeserializer values = new AvroDeserializer();
        values.configure(Map.of("schema.registry.url", registryUrl, "specific.avro.reader", true), false);
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), values);
        this.out = out;
        List<TopicPartition> partitions = new ArrayList<>();
        for (Topic topic : Topic.values()) {
            if (topic.isState()) {
                continue; // a stage's private state, not a pipeline event
            }
            consumer.partitionsFor(topic.topicName()).forEach(info ->
                    partitions.add(new TopicPartition(info.topic(), info.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Polls and prints events until {@code done} holds for what was seen, or the timeout passes. */
    boolean awaitUntil(Predicate<List<Seen>> done, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            for (ConsumerRecord<String, Object> record : consumer.poll(Duration.ofMillis(200))) {
                Topic topic = Topic.byName(record.topic()).orElseThrow();
                if (record.value() instanceof SpecificRecord event) {
                    Seen event1 = new Seen(topic, Instant.ofEpochMilli(record.timestamp()), event);
                    seen.add(event1);
                    print(event1);
                }
            }
            if (done.test(List.copyOf(seen))) {
                return true;
            }
        }
        return false;
    }

    List<Seen> seen() {
        return List.copyOf(seen);
    }

    private void print(Seen seen) {
        double seconds = Duration.between(start, seen.at()).toMillis() / 1000.0;
        SnapshotRef snapshot = seen.snapshot();
        String who = snapshot == null ? "?" : snapshot.getClusterId() + " " + snapshot.getSnapshotDate();
        out.printf("  [%6.1fs] %-36s %-18s %s%n", Math.max(0, seconds), seen.topic().topicName(), who, describe(seen.event()));
    }

    static String describe(SpecificRecord event) {
        if (event instanceof SnapshotCreated created) {
            return "SnapshotCreated " + created.getSnapshot().getSnapshotId() + " (via " + created.getDiscoveredBy() + ")";
        }
        if (event instanceof ExportStarted started) {
            return "ExportStarted task=" + started.getExportTaskId() + " -> s3://" + started.getBucket() + "/" + started.getPrefix();
        }
        if (event instanceof ExportCompleted completed) {
            return "ExportCompleted task=" + completed.getExportTaskId()
                    + (completed.getWarningMessage() == null ? "" : " warning=" + completed.getWarningMessage());
        }
        if (event instanceof ParquetCopied copied) {
            long files = copied.getTables().stream().mapToLong(TableCopyResult::getFilesCopied).sum();
            long present = copied.getTables().stream().mapToLong(TableCopyResult::getFilesAlreadyPresent).sum();
            long bytes = copied.getTables().stream().mapToLong(TableCopyResult::getBytesCopied).sum();
            return String.format("ParquetCopied complete=%s tables=%d files copied=%d (already there %d), %,d bytes",
                    copied.getComplete(), copied.getTables().size(), files, present, bytes);
        }
        if (event instanceof PipelineFailure failure) {
            return "FAILURE " + failure.getStage() + " " + failure.getReason() + ": " + failure.getMessage();
        }
        return event.getSchema().getName();
    }

    /** Events of the given topics, by snapshot ARN, in arrival order. */
    static Map<String, List<Seen>> bySnapshot(List<Seen> seen, Topic... topics) {
        Map<String, List<Seen>> result = new LinkedHashMap<>();
        for (Seen event : seen) {
            if (Arrays.asList(topics).contains(event.topic()) && event.snapshot() != null) {
                result.computeIfAbsent(event.snapshot().getSnapshotArn(), arn -> new ArrayList<>()).add(event);
            }
        }
        return result;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
