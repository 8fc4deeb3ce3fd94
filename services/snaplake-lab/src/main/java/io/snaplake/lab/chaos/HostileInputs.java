package io.snaplake.lab.chaos;

import io.snaplake.lab.demo.DemoAws;
import io.snaplake.events.ExportCompleted;
import io.snaplake.pipeline.EventMetadataFactory;
import io.snaplake.pipeline.SnapshotKeys;
import io.snaplake.pipeline.Stage;
import io.snaplake.pipeline.Topic;
import io.snaplake.rdsexportwriter.ExportWriter;
import io.snaplake.serde.AvroSerializer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Inputs no stage may act on, each with the dead-letter place it must end in: the listener's SQS
 * dead-letter queue (with a RejectCode attribute) or a consumer's dead-letter topic
 * {@code <topic>.<service>.dlq} (with Spring Kafka's exception-message header). Each carries a marker so
 * that the check finds it there by content, not by a service's word.
 */
final class HostileInputs {

    /** Where a hostile input must be found. */
    enum Place { SQS_DLQ, KAFKA_DLQ }

    /** One hostile input: what it is, the marker in its content, and where it must end. */
    record Hostile(String description, String marker, Place place, String deadLetterTopic) {
    }

    /** The event id of the hostile ExportCompleted, which names a real snapshot: the check tells it from the pipeline's. */
    static final String HOSTILE_EVENT_ID_PREFIX = "hostile-";
    static final String OUTSIDE_BUCKET = "snaplake-chaos-outsider";
    /** The export task id prefix of the export outside the allow-list. */
    static final String OUTSIDER_TASK_PREFIX = "outsider-";
    /** A cluster no one configured: its events are ignored (acknowledged, counted), not dead-lettered. */
    static final String UNCONFIGURED_CLUSTER = "ghost";
    /**
     * A cluster the listener's {@code chaos*} pattern includes but RDS does not know: an event for its snapshot is
     * forged (or of a cluster that is gone), and dead-lettered as SNAPSHOT_NOT_FOUND.
     */
    static final String UNKNOWN_CLUSTER = "chaos99";
    /** 1 MB: a record near Kafka's default message.max.bytes (1 MiB), as a runaway producer might write. */
    static final int LARGE_RECORD_BYTES = 1_000_000;

    private final List<Hostile> injected = new ArrayList<>();
    private final List<String> ignoredByDesign = new ArrayList<>();

    List<Hostile> injected() {
        return List.copyOf(injected);
    }

    /** Inputs that are acknowledged and ignored with a reason by design (not dead-letters), and must cause nothing. */
    List<String> ignoredByDesign() {
        return List.copyOf(ignoredByDesign);
    }

    /** The SQS side: what the EventBridge rule's queue might receive besides good events. */
    void injectIntoQueue(DemoAws aws, String queueUrl, ChaosSnapshots.Snapshot sample) {
        String malformed = "hostile-malformed-" + UUID.randomUUID();
        send(aws, queueUrl, "{\"version\":\"0\",\"id\":\"" + malformed + "\",\"source\":\"aws.rds\",\"detail\":{");
        injected.add(new Hostile("malformed JSON on SQS", malformed, Place.SQS_DLQ, null));

        String otherSource = "hostile-ec2-" + UUID.randomUUID();
        send(aws, queueUrl, """
                {"version":"0","id":"%s","detail-type":"EC2 Instance State-change Notification","source":"aws.ec2",\
                "account":"%s","region":"%s","detail":{"instance-id":"i-0123","state":"terminated"}}"""
                .formatted(otherSource, DemoAws.ACCOUNT_ID, DemoAws.REGION));
        injected.add(new Hostile("another service's event (aws.ec2) on SQS", otherSource, Place.SQS_DLQ, null));

        String arnPrefix = sample.arn().substring(0, sample.arn().lastIndexOf(":rds:") + 1);
        String traversal = "rds:../../" + sample.cluster() + "-" + sample.date() + "-03-10";
        send(aws, queueUrl, DemoAws.snapshotCreatedEvent(traversal, arnPrefix + traversal, Instant.now()));
        injected.add(new Hostile("snapshot id with ../ on SQS", "../../" + sample.cluster(), Place.SQS_DLQ, null));

        String inconsistent = "rds:" + sample.cluster() + "-" + sample.date() + "-04-20";
        send(aws, queueUrl, DemoAws.snapshotCreatedEvent(inconsistent, arnPrefix + "rds:../" + sample.cluster() + "-" + sample.date() + "-04-20",
                Instant.now()));
        injected.add(new Hostile("SourceArn with ../ naming another snapshot than SourceIdentifier, on SQS",
                "rds:../" + sample.cluster(), Place.SQS_DLQ, null));

        String unknown = "rds:" + UNKNOWN_CLUSTER + "-" + sample.date() + "-03-10";
        send(aws, queueUrl, DemoAws.snapshotCreatedEvent(unknown, arnPrefix + unknown, Instant.now()));
        injected.add(new Hostile("snapshot of a cluster RDS does not know (" + UNKNOWN_CLUSTER + "), on SQS", unknown,
                Place.SQS_DLQ, null));

        String ghost = "rds:" + UNCONFIGURED_CLUSTER + "-" + sample.date() + "-03-10";
        send(aws, queueUrl, DemoAws.snapshotCreatedEvent(ghost, arnPrefix + ghost, Instant.now()));
        ignoredByDesign.add(arnPrefix + ghost);
    }

    /**
     * The Kafka side: bytes that are not the project's Avro on every topic a stage consumes (one of them 1 MB),
     * and a well-formed ExportCompleted naming a bucket outside the copier's allow-list, whose bucket holds a
     * real export's files (so a copier that acted on it would put them in the lake).
     */
    void injectIntoTopics(DemoAws aws, String bootstrapServers, String registryUrl, ChaosSnapshots.Snapshot sample) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * LARGE_RECORD_BYTES);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            for (Topic topic : List.of(Topic.SNAPSHOTS_CREATED, Topic.EXPORTS_COMPLETED, Topic.PARQUET_COPIED, Topic.CRAWLS_COMPLETED)) {
                for (Stage consumer : topic.consumers()) {
                    String marker = "hostile-poison-" + topic.topicName() + "-" + UUID.randomUUID();
                    send(producer, topic, ("\u0007not avro: " + marker).getBytes(StandardCharsets.UTF_8));
                    injected.add(new Hostile("poison bytes on " + topic.topicName(), marker, Place.KAFKA_DLQ, topic.deadLetterTopic(consumer)));
                    // Bytes that look like the wire format's magic byte and a schema id no registry has.
                    String wireMarker = "hostile-unknown-schema-" + topic.topicName() + "-" + UUID.randomUUID();
                    byte[] marked = wireMarker.getBytes(StandardCharsets.UTF_8);
                    byte[] wire = new byte[5 + marked.length];
                    wire[0] = 0;
                    wire[1] = 0x7f;
                    wire[2] = 0x12;
                    wire[3] = 0x34;
                    wire[4] = 0x56;
                    System.arraycopy(marked, 0, wire, 5, marked.length);
                    send(producer, topic, wire);
                    injected.add(new Hostile("magic byte + unknown schema id on " + topic.topicName(), wireMarker, Place.KAFKA_DLQ,
                            topic.deadLetterTopic(consumer)));
                }
            }
            String large = "hostile-1MB-" + UUID.randomUUID();
            byte[] bytes = new byte[LARGE_RECORD_BYTES];
            Arrays.fill(bytes, (byte) 'x');
            byte[] marker = large.getBytes(StandardCharsets.UTF_8);
            System.arraycopy(marker, 0, bytes, 1, marker.length);
            send(producer, Topic.SNAPSHOTS_CREATED, bytes);
            injected.add(new Hostile("a 1 MB record on " + Topic.SNAPSHOTS_CREATED.topicName(), large, Place.KAFKA_DLQ,
                    Topic.SNAPSHOTS_CREATED.deadLetterTopic(Stage.EXPORT_SCHEDULER)));
            producer.flush();
        }

        // An export outside the allow-list: real files, so acting on it would show in the lake.
        aws.createBucket(OUTSIDE_BUCKET);
        String taskId = OUTSIDER_TASK_PREFIX + UUID.randomUUID().toString().substring(0, 8);
        new ExportWriter(aws.s3).write(ChaosSnapshots.exportOf(sample, OUTSIDE_BUCKET, sample.exportPrefix(), taskId));
        ExportCompleted outsider = ExportCompleted.newBuilder()
                .setMetadata(new EventMetadataFactory(Stage.EXPORT_SCHEDULER.serviceName(), java.time.Clock.systemUTC()).first(HOSTILE_EVENT_ID_PREFIX + taskId, HOSTILE_EVENT_ID_PREFIX + taskId))
                .setSnapshot(sample.ref())
                .setExportTaskId(taskId)
                .setBucket(OUTSIDE_BUCKET)
                .setPrefix(sample.exportPrefix())
                .build();
        Properties avroProps = new Properties();
        avroProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        AvroSerializer values = new AvroSerializer();
        values.configure(Map.of("schema.registry.url", registryUrl, "auto.register.schemas", true), false);
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(avroProps, new StringSerializer(), values)) {
            producer.send(new ProducerRecord<>(Topic.EXPORTS_COMPLETED.topicName(), SnapshotKeys.recordKey(sample.ref()), outsider)).get();
        } catch (Exception e) {
            throw new IllegalStateException("could not write the hostile ExportCompleted", e);
        }
        injected.add(new Hostile("ExportCompleted naming bucket " + OUTSIDE_BUCKET + " (outside the allow-list)", taskId,
                Place.KAFKA_DLQ, Topic.EXPORTS_COMPLETED.deadLetterTopic(Stage.PARQUET_COPIER)));
    }

    private static void send(DemoAws aws, String queueUrl, String body) {
        aws.sqs.sendMessage(m -> m.queueUrl(queueUrl).messageBody(body));
    }

    private static void send(KafkaProducer<String, byte[]> producer, Topic topic, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic.topicName(), "hostile", value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("could not write a hostile record to " + topic.topicName(), e);
        }
    }
}
