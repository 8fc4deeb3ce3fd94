package io.snaplake.cli.ops;

import static io.snaplake.cli.ops.DayEvents.failure;
import static io.snaplake.cli.ops.DayEvents.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.snaplake.cli.TopicLayout;
import io.snaplake.events.PipelineFailure;
import io.snaplake.events.SnapshotRef;
import io.snaplake.pipeline.Stage;
import io.snaplake.pipeline.Topic;
import io.snaplake.testkit.LocalInfra;
import io.snaplake.testkit.LocalKafka;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * {@code snaplake notify} on the real broker, with moto's SNS (an SQS queue subscribed to the topic) and a
 * local HTTP server as the Slack-compatible webhook.
 */
class NotifyCommandTest {

    static final LocalDate DAY = LocalDate.now(ZoneOffset.UTC).minusDays(1);
    static final String CLUSTER = "notif-" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void sendsOneMessagePerFailure_aReplayedFailureAgain_aDuplicateDeliveryNot_andDeadLetters() throws Exception {
        TopicLayout.createMissing(LocalInfra.kafka().admin(), LocalKafka.PARTITIONS);
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
        try (SqsClient sqs = SqsClient.builder().endpointOverride(LocalInfra.moto().endpoint()).region(Region.US_EAST_1).credentialsProvider(credentials).build()) {
            String topicArn = MotoSns.createTopic("snaplake-failures-" + CLUSTER);
            String queueUrl = sqs.createQueue(r -> r.queueName("failures-" + CLUSTER)).queueUrl();
            String queueArn = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes().get(QueueAttributeName.QUEUE_ARN);
            MotoSns.subscribeRaw(topicArn, queueArn);

            List<String> webhook = new ArrayList<>();
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/hook", exchange -> {
                synchronized (webhook) {
                    webhook.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                }
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            });
            server.start();

            NotifyCommand command = new NotifyCommand();
            command.endpoints = KafkaEndpoints.of(LocalInfra.kafka().bootstrapServers(), LocalInfra.registry().url());
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            command.out = new PrintStream(log, true, StandardCharsets.UTF_8);
            Thread notifier = new Thread(() -> new CommandLine(command).execute("--sns-topic-arn", topicArn,
                    "--webhook-url", "http://127.0.0.1:" + server.getAddress().getPort() + "/hook",
                    "--aws-endpoint", LocalInfra.moto().endpoint().toString(), "--group", "notify-" + CLUSTER, "--from-beginning"));
            notifier.start();
            try {
                SnapshotRef snapshot = snapshot(CLUSTER, DAY);
                Instant now = Instant.now();
                PipelineFailure copyFailed = failure(snapshot, now, Stage.PARQUET_COPIER, "TABLE_COPY_FAILED",
                        "public.orders: 3 of 6 files could not be copied", Map.of("awsErrorCode", "AccessDenied"));
                PipelineFailure replayFailed = DayEvents.asReplay(failure(snapshot, now.plusSeconds(1), Stage.PARQUET_COPIER,
                        "TABLE_COPY_FAILED", "public.orders: 3 of 6 files could not be copied", Map.of("awsErrorCode", "AccessDenied")),
                        copyFailed, now.plusSeconds(1));
                try (DayEvents.Publisher publisher = new DayEvents.Publisher(LocalInfra.kafka().bootstrapServers(), LocalInfra.registry().url())) {
                    publisher.publish(Topic.PARQUET_COPIER_FAILURES, copyFailed);
                    publisher.publish(Topic.PARQUET_COPIER_FAILURES, copyFailed); // delivered twice: one message
                    publisher.publish(Topic.PARQUET_COPIER_FAILURES, replayFailed); // failed again after a replay: a new message
                    publisher.flush();
                }
                String dlq = Topic.EXPORTS_COMPLETED.deadLetterTopic(Stage.PARQUET_COPIER);
                publishDeadLetter(dlq, "123456789012:" + CLUSTER);

                Supplier<List<String>> ours = () -> {
                    synchronized (webhook) {
                        return webhook.stream().filter(body -> body.contains(CLUSTER)).toList();
                    }
                };
                awaitSize(ours, 3);
                List<String> fromSqs = new ArrayList<>();
                Instant deadline = Instant.now().plusSeconds(30);
                while (fromSqs.size() < 3 && Instant.now().isBefore(deadline)) {
                    sqs.receiveMessage(r -> r.queueUrl(queueUrl).waitTimeSeconds(1).maxNumberOfMessages(10)).messages().stream()
                            .map(Message::body).filter(body -> body.contains(CLUSTER)).forEach(fromSqs::add);
                }
                // The notifier commits an offset only after its messages went out: once every record is
                // committed, a duplicate message would already be in the queue.
                awaitHandled("notify-" + CLUSTER, Topic.PARQUET_COPIER_FAILURES.topicName(), dlq);
                sqs.receiveMessage(r -> r.queueUrl(queueUrl).waitTimeSeconds(1).maxNumberOfMessages(10)).messages().stream()
                        .map(Message::body).filter(body -> body.contains(CLUSTER)).forEach(fromSqs::add);

                String replay = "./snaplake replay --date " + DAY + " --cluster " + CLUSTER + " --from parquet-copier";
                String first = "snaplake: " + CLUSTER + " " + DAY + " failed at parquet-copier (TABLE_COPY_FAILED)\n"
                        + "cluster: " + CLUSTER + "\nday: " + DAY + "\nstage: parquet-copier\n"
                        + "cause: TABLE_COPY_FAILED: public.orders: 3 of 6 files could not be copied\n"
                        + "aws error: awsErrorCode=AccessDenied\nsnapshot: " + snapshot.getSnapshotArn() + "\n"
                        + "replay: " + replay + "\n";
                String expectedFirst = first + "event id: " + copyFailed.getMetadata().getEventId() + "\n";
                String expectedReplay = first + "during replay of: " + copyFailed.getMetadata().getEventId() + "\n"
                        + "event id: " + replayFailed.getMetadata().getEventId() + "\n";
                List<String> failures = ours.get().stream().filter(body -> !body.contains("dead letter")).toList();
                List<String> deadLetters = ours.get().stream().filter(body -> body.contains("dead letter")).toList();
                assertThat(failures).containsExactly(
                        NotifyCommand.slackJson(new FailureNotice("", "", expectedFirst, Map.of())),
                        NotifyCommand.slackJson(new FailureNotice("", "", expectedReplay, Map.of())));
                assertThat(deadLetters).singleElement().asString().contains(
                        "snaplake: dead letter on " + dlq + " (cluster " + CLUSTER + ")",
                        "origin: snaplake.exports.completed 2@41", "cause: not Avro: unknown magic byte 0x7b");
                assertThat(fromSqs.stream().filter(body -> !body.contains("dead letter"))).containsExactly(expectedFirst, expectedReplay);
                assertThat(fromSqs.stream().filter(body -> body.contains("dead letter"))).singleElement().asString()
                        .startsWith("snaplake: dead letter on " + dlq);
            } finally {
                command.running.set(false);
                notifier.join(10_000);
                server.stop(0);
            }
        }
    }

    private static void publishDeadLetter(String topic, String key) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalInfra.kafka().bootstrapServers());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, 0, key, "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8));
            record.headers().add(new RecordHeader(FailureNotice.ORIGINAL_TOPIC, "snaplake.exports.completed".getBytes(StandardCharsets.UTF_8)));
            record.headers().add(new RecordHeader(FailureNotice.ORIGINAL_PARTITION, ByteBuffer.allocate(4).putInt(2).array()));
            record.headers().add(new RecordHeader(FailureNotice.ORIGINAL_OFFSET, ByteBuffer.allocate(8).putLong(41).array()));
            record.headers().add(new RecordHeader(FailureNotice.EXCEPTION_MESSAGE, "not Avro: unknown magic byte 0x7b".getBytes(StandardCharsets.UTF_8)));
            producer.send(record);
        }
    }

    private static void awaitSize(Supplier<List<String>> messages, int size) {
        await().atMost(Duration.ofSeconds(60)).until(() -> messages.get().size() >= size);
    }

    /** Waits until {@code group} has committed every record of {@code topics}. */
    private static void awaitHandled(String group, String... topics) {
        Admin admin = LocalInfra.kafka().admin();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
            for (var description : admin.describeTopics(List.of(topics)).allTopicNames().get().values()) {
                description.partitions().forEach(p -> ends.put(new TopicPartition(description.name(), p.partition()), OffsetSpec.latest()));
            }
            return admin.listOffsets(ends).all().get().entrySet().stream().allMatch(end -> end.getValue().offset() == 0
                    || (committed.get(end.getKey()) != null && committed.get(end.getKey()).offset() >= end.getValue().offset()));
        });
    }
}
