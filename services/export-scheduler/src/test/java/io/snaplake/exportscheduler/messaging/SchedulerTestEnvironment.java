package io.snaplake.exportscheduler.messaging;

import io.snaplake.events.SnapshotCreated;
import io.snaplake.exportscheduler.ExpectedEvents;
import io.snaplake.exportscheduler.ExportSchedulerApplication;
import io.snaplake.pipeline.SnapshotKeys;
import io.snaplake.testkit.KafkaTopics;
import io.snaplake.testkit.LocalInfra;
import io.snaplake.testkit.LocalKafka;
import io.snaplake.pipeline.Stage;
import io.snaplake.pipeline.Topic;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** The real backends of the binder-level tests: the JVM's Kafka broker and registry, and the scheduler's topics. */
final class SchedulerTestEnvironment {

    static final String INPUT = Topic.SNAPSHOTS_CREATED.topicName();
    static final String DLQ = Topic.SNAPSHOTS_CREATED.deadLetterTopic(Stage.EXPORT_SCHEDULER);
    static final String STARTED = Topic.EXPORTS_STARTED.topicName();
    static final String COMPLETED = Topic.EXPORTS_COMPLETED.topicName();
    static final String FAILURES = Topic.failuresOf(Stage.EXPORT_SCHEDULER).topicName();
    static final String STATE = Topic.EXPORT_SCHEDULER_STATE.topicName();

    private SchedulerTestEnvironment() {
    }

    static void createTopics() {
        LocalKafka kafka = LocalInfra.kafka();
        try {
            kafka.admin().createTopics(List.of(new NewTopic(STATE, LocalKafka.PARTITIONS, (short) 1)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)))).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException(e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        kafka.createTopics(INPUT, DLQ, STARTED, COMPLETED, FAILURES);
    }

    /** The service's settings for a test: the JVM's broker and registry, RDS at {@code rdsEndpoint}, fast polling. */
    static Map<String, Object> properties(URI rdsEndpoint) {
        Map<String, Object> properties = new LinkedHashMap<>(LocalInfra.springProperties());
        properties.put("snaplake.aws.endpoint", rdsEndpoint.toString());
        properties.put("snaplake.aws.region", "us-east-1");
        properties.put("snaplake.export-scheduler.defaults.bucket", ExpectedEvents.BUCKET);
        properties.put("snaplake.export-scheduler.defaults.kms-key-id", ExpectedEvents.KMS_KEY_ID);
        properties.put("snaplake.export-scheduler.defaults.iam-role-arn", ExpectedEvents.IAM_ROLE_ARN);
        properties.put("snaplake.export-scheduler.poll-interval", "200ms");
        properties.put("snaplake.export-scheduler.max-poll-interval", "1s");
        properties.put("snaplake.export-scheduler.retry-initial-backoff", "200ms");
        properties.put("snaplake.export-scheduler.retry-max-backoff", "1s");
        // A killed replica's group membership must expire quickly for the restarted one to take over.
        properties.put("spring.cloud.stream.kafka.binder.consumer-properties.session.timeout.ms", "6000");
        properties.put("spring.cloud.stream.kafka.binder.consumer-properties.heartbeat.interval.ms", "1000");
        properties.put("server.port", "0");
        return properties;
    }

    static ConfigurableApplicationContext start(URI rdsEndpoint) {
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
        // As command-line arguments: they win over application.yml (builder properties would not).
        return new SpringApplicationBuilder(ExportSchedulerApplication.class).run(arguments(rdsEndpoint).toArray(String[]::new));
    }

    static List<String> arguments(URI rdsEndpoint) {
        return properties(rdsEndpoint).entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toList();
    }

    /** Publishes a SnapshotCreated on the input topic, keyed as the snapshot-listener keys it. */
    static void request(SnapshotCreated created) {
        KafkaTopics.send(INPUT, SnapshotKeys.recordKey(created.getSnapshot()), created);
    }

    /** Reads a topic from its current end (or beginning) on a thread of its own, keeping every record. */
    static final class TopicRecorder<V> implements AutoCloseable {
        private final List<ConsumerRecord<String, V>> records = new CopyOnWriteArrayList<>();
        private final KafkaConsumer<String, V> consumer;
        private final Thread thread;
        private volatile boolean running = true;

        /** Avro values, read into the generated classes. */
        static <V> TopicRecorder<V> avro(String topic, boolean fromBeginning) {
            Properties config = base();
            config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, "io.snaplake.serde.AvroDeserializer");
            config.put("schema.registry.url", LocalInfra.registry().url());
            config.put("specific.avro.reader", "true");
            return new TopicRecorder<>(topic, config, fromBeginning);
        }

        static TopicRecorder<byte[]> bytes(String topic) {
            Properties config = base();
            config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, "org.apache.kafka.common.serialization.ByteArrayDeserializer");
            return new TopicRecorder<>(topic, config, false);
        }

        private static Properties base() {
            Properties config = new Properties();
            config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalInfra.kafka().bootstrapServers());
            config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            return config;
        }

        private TopicRecorder(String topic, Properties config, boolean fromBeginning) {
            consumer = new KafkaConsumer<>(config);
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic).forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            consumer.assign(partitions);
            if (fromBeginning) {
                consumer.seekToBeginning(partitions);
            } else {
                consumer.seekToEnd(partitions);
            }
            partitions.forEach(consumer::position);
            thread = new Thread(() -> {
                while (running) {
                    consumer.poll(Duration.ofMillis(100)).forEach(records::add);
                }
                consumer.close();
            }, "recorder-" + topic);
            thread.setDaemon(true);
            thread.start();
        }

        List<ConsumerRecord<String, V>> records() {
            return List.copyOf(records);
        }

        List<V> values() {
            return records.stream().map(ConsumerRecord::value).toList();
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(5000);
        }
    }
}
