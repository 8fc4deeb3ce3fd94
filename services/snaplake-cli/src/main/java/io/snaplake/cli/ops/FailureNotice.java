package io.snaplake.cli.ops;

import io.snaplake.events.PipelineFailure;
import io.snaplake.events.SnapshotRef;
import io.snaplake.pipeline.Stage;
import io.snaplake.pipeline.Topic;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * One message for people about one failure: what failed (cluster, day, stage), why (cause, AWS error) and
 * the exact command that re-runs it. {@code id} is what makes a message one: the failure event's id (a
 * duplicate delivery carries the same id; a replay that fails again is a new event with a new id), or,
 * for a dead letter, the original record's topic, partition and offset.
 */
public record FailureNotice(String id, String subject, String text, Map<String, String> fields) {

    /** Header names the stages' dead-letter publishing sets (Spring Kafka's). */
    static final String ORIGINAL_TOPIC = "kafka_dlt-original-topic";
    static final String ORIGINAL_PARTITION = "kafka_dlt-original-partition";
    static final String ORIGINAL_OFFSET = "kafka_dlt-original-offset";
    static final String EXCEPTION_MESSAGE = "kafka_dlt-exception-message";

    public static FailureNotice of(PipelineFailure failure, Topic failureTopic) {
        Stage stage = failureTopic.producer();
        SnapshotRef snapshot = failure.getSnapshot();
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("cluster", snapshot == null ? "(unknown)" : snapshot.getClusterId());
        fields.put("day", snapshot == null ? "(unknown)" : snapshot.getSnapshotDate().toString());
        fields.put("stage", stage.serviceName());
        fields.put("cause", failure.getReason() + ": " + failure.getMessage());
        String awsError = failure.getDetails().entrySet().stream()
                .filter(entry -> entry.getKey().toLowerCase().contains("aws") || entry.getKey().toLowerCase().contains("error"))
                .map(entry -> entry.getKey() + "=" + entry.getValue()).reduce((a, b) -> a + ", " + b).orElse("(none)");
        fields.put("aws error", awsError);
        if (snapshot != null) {
            fields.put("snapshot", snapshot.getSnapshotArn());
            fields.put("replay", ReplayCommands.forFailure(snapshot, stage));
        }
        if (failure.getMetadata().getReplayOf() != null) {
            fields.put("during replay of", failure.getMetadata().getReplayOf());
        }
        fields.put("event id", failure.getMetadata().getEventId());
        String subject = String.format("snaplake: %s %s failed at %s (%s)", fields.get("cluster"), fields.get("day"),
                stage.serviceName(), failure.getReason());
        return new FailureNotice(failure.getMetadata().getEventId(), subject, text(subject, fields), fields);
    }

    public static FailureNotice deadLetter(String deadLetterTopic, int partition, long offset, String key, Headers headers) {
        String originalTopic = text(headers.lastHeader(ORIGINAL_TOPIC));
        String originalPartition = number(headers.lastHeader(ORIGINAL_PARTITION));
        String originalOffset = number(headers.lastHeader(ORIGINAL_OFFSET));
        Map<String, String> fields = new LinkedHashMap<>();
        String cluster = key != null && key.contains(":") ? key.substring(key.indexOf(':') + 1) : "(unknown)";
        fields.put("cluster", cluster);
        fields.put("dead-letter topic", deadLetterTopic + " " + partition + "@" + offset);
        fields.put("origin", (originalTopic == null ? "(unknown)" : originalTopic) + " " + originalPartition + "@" + originalOffset);
        fields.put("cause", text(headers.lastHeader(EXCEPTION_MESSAGE)) == null ? "(no reason recorded)" : text(headers.lastHeader(EXCEPTION_MESSAGE)));
        fields.put("redrive", "./snaplake dlq redrive --topic " + deadLetterTopic + " --offset " + partition + "@" + offset
                + " (once the cause is fixed)");
        String subject = "snaplake: dead letter on " + deadLetterTopic + " (cluster " + cluster + ")";
        String id = "dlq:" + (originalTopic == null ? deadLetterTopic + ":" + partition + ":" + offset
                : originalTopic + ":" + originalPartition + ":" + originalOffset);
        return new FailureNotice(id, subject, text(subject, fields), fields);
    }

    private static String text(String subject, Map<String, String> fields) {
        StringBuilder text = new StringBuilder(subject).append('\n');
        fields.forEach((name, value) -> text.append(name).append(": ").append(value).append('\n'));
        return text.toString();
    }

    private static String text(Header header) {
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** Spring Kafka writes partition (int) and offset (long) big-endian. */
    private static String number(Header header) {
        if (header == null || header.value() == null) {
            return "?";
        }
        byte[] value = header.value();
        return switch (value.length) {
            case 4 -> Integer.toString(ByteBuffer.wrap(value).getInt());
            case 8 -> Long.toString(ByteBuffer.wrap(value).getLong());
            default -> new String(value, StandardCharsets.UTF_8);
        };
    }
}
