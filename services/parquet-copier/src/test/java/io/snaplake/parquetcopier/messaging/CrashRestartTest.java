package io.snaplake.parquetcopier.messaging;

import static io.snaplake.parquetcopier.domain.WrittenExports.bytes;
import static io.snaplake.parquetcopier.domain.WrittenExports.lakeKeys;
import static io.snaplake.parquetcopier.domain.WrittenExports.writeSmall;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.snaplake.events.EventMetadata;
import io.snaplake.events.ExportCompleted;
import io.snaplake.events.ParquetCopied;
import io.snaplake.events.TableCopyResult;
import io.snaplake.parquetcopier.ParquetCopierApplication;
import io.snaplake.parquetcopier.domain.MotoCopier;
import io.snaplake.pipeline.EventMetadataFactory;
import io.snaplake.pipeline.Stage;
import io.snaplake.pipeline.Topic;
import io.snaplake.rdsexportwriter.BatchLayout;
import io.snaplake.rdsexportwriter.TableSpec;
import io.snaplake.rdsexportwriter.WrittenExport;
import io.snaplake.testkit.ChildProcess;
import io.snaplake.testkit.KafkaTopics;
import io.snaplake.testkit.LocalInfra;
import io.snaplake.testkit.proxy.FaultProxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real crash mid-copy: the copier runs as a child JVM against the JVM's broker and registry, and against
 * moto behind {@link FaultProxy}, which adds latency to every request so that the copy takes seconds. The
 * process is killed (SIGKILL) once some but not all files are in the lake, before it could commit the
 * ExportCompleted record's offset; a new process in the same consumer group gets the record again and resumes.
 */
class CrashRestartTest {

    private static final String INPUT = Topic.EXPORTS_COMPLETED.topicName();
    /** A group of its own, so that the copier of the other tests in this JVM does not share the input partitions. */
    private static final String GROUP = "parquet-copier-crash-test";
    private static final String KEY = "123456789012:crash";
    private static final String LAKE = "crash-lake";
    private static final String PARTITION = "raw/crash/db/public_big/date=2026-11-20/crash-2026-11-20/";
    private static final int FILES = 60;

    private final S3Client s3 = MotoCopier.s3();

    @BeforeAll
    static void topics() {
        LocalInfra.kafka().createTopics(INPUT, Topic.PARQUET_COPIED.topicName(), Topic.failuresOf(Stage.PARQUET_COPIER).topicName(),
                Topic.EXPORTS_COMPLETED.deadLetterTopic(Stage.PARQUET_COPIER));
    }

    @Test
    void afterACrashMidCopy_aRestartCompletesTheExport_copyingNoFileTwice() throws Exception {
        WrittenExport written = writeSmall(s3, "e2e-exports", "crash-2026-11-20",
                TableSpec.complete("db", "public.big", BatchLayout.NUMBERED_BATCHES, FILES).withFilesPerBatch(20));
        ExportCompleted input = CopierTestEvents.exportCompleted("crash", "", "crash-2026-11-20");
        s3.createBucket(create -> create.bucket(LAKE));
        startGroupAtTheEndOf(INPUT);

        // 200 ms per request and 2 copies in flight: about 7 s for the 60 copies.
        try (FaultProxy slowS3 = FaultProxy.builder(LocalInfra.moto().endpoint()).latency(Duration.ofMillis(200)).start();
                KafkaConsumer<String, Object> copied = KafkaTopics.reader(Topic.PARQUET_COPIED.topicName())) {
            ChildProcess first = startCopier(slowS3, "first");
            try {
                KafkaTopics.send(INPUT, KEY, input);
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50))
                        .until(() -> lakeObjects().size() >= FILES / 6);
            } finally {
                first.kill();
            }
            Map<String, Instant> beforeRestart = awaitLakeSettled();
            assertThat(beforeRestart).as("files in the lake when the copier was killed").hasSizeBetween(1, FILES - 1);
            long bytesBeforeRestart = lakeObjects().values().stream().mapToLong(S3Object::size).sum();

            List<ParquetCopied> events = new ArrayList<>();
            ChildProcess restarted = startCopier(slowS3, "restarted");
            try {
                await().atMost(Duration.ofSeconds(180)).until(() -> {
                    events.addAll(ours(copied));
                    return !events.isEmpty();
                });
            } finally {
                restarted.close();
            }
            events.addAll(ours(copied));

            long totalBytes = bytes(written);
            EventMetadata metadata = new EventMetadataFactory(Stage.PARQUET_COPIER.serviceName(), Clock.systemUTC())
                    .following(input.getMetadata(), "ParquetCopied");
            ParquetCopied expected = CopierTestEvents.parquetCopied(input,
                    EventMetadata.newBuilder(metadata).setOccurredAt(events.get(0).getMetadata().getOccurredAt()).build(), LAKE,
                    TableCopyResult.newBuilder(CopierTestEvents.copied(written, LAKE, "crash", "db", "public.big"))
                            .setFilesCopied(FILES - beforeRestart.size()).setBytesCopied(totalBytes - bytesBeforeRestart)
                            .setFilesAlreadyPresent(beforeRestart.size()).setBytesAlreadyPresent(bytesBeforeRestart)
                            .build())
                    .build();
            assertThat(events).containsExactly(expected);
            assertThat(lakeObjects().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().size())))
                    .isEqualTo(lakeKeys(written, "crash"));
            assertThat(lastModified(lakeObjects())).as("files copied before the crash, not copied again")
                    .containsAllEntriesOf(beforeRestart);
        }
    }

    /** The copier as a process of its own, on the test classpath, with S3 behind {@code slowS3}. */
    private static ChildProcess startCopier(FaultProxy slowS3, String name) {
        Map<String, String> properties = new LinkedHashMap<>(LocalInfra.springProperties());
        properties.put("snaplake.aws.endpoint", slowS3.endpoint().toString());
        properties.put("snaplake.copier.lake-bucket", LAKE);
        properties.put("snaplake.copier.allowed-export-buckets", "e2e-exports");
        properties.put("snaplake.copier.lake-prefix", "raw");
        properties.put("snaplake.copier.concurrency", "2");
        properties.put("spring.cloud.stream.bindings.copyExport-in-0.group", GROUP);
        // A killed member's partitions must move to the restarted one quickly.
        properties.put("spring.cloud.stream.kafka.binder.consumer-properties.session.timeout.ms", "6000");
        properties.put("spring.cloud.stream.kafka.binder.consumer-properties.heartbeat.interval.ms", "1000");
        properties.put("server.port", "0");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Daws.accessKeyId=test", "-Daws.secretAccessKey=test",
                "-cp", System.getProperty("java.class.path"),
                ParquetCopierApplication.class.getName()));
        properties.forEach((property, value) -> command.add("--" + property + "=" + value));
        return ChildProcess.builder(name + " copier", command)
                .log(Path.of("target", "crash-test-" + name + "-copier.log"), false).start();
    }

    /** Commits the group's offsets at the topic's current end: the copier starts with the record sent next. */
    private static void startGroupAtTheEndOf(String topic) throws Exception {
        Admin admin = LocalInfra.kafka().admin();
        Map<TopicPartition, OffsetSpec> latest = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic)
                .partitions().stream()
                .collect(Collectors.toMap(partition -> new TopicPartition(topic, partition.partition()), partition -> OffsetSpec.latest()));
        Map<TopicPartition, OffsetAndMetadata> ends = admin.listOffsets(latest).all().get().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, end -> new OffsetAndMetadata(end.getValue().offset())));
        admin.alterConsumerGroupOffsets(GROUP, ends).all().get();
    }

    /**
     * The lake once the copies the killed process had already sent have landed: two listings a second apart (five
     * times the proxy's latency) that agree.
     */
    private Map<String, Instant> awaitLakeSettled() {
        AtomicReference<Map<String, Instant>> previous = new AtomicReference<>(Map.of());
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            Map<String, Instant> current = lastModified(lakeObjects());
            return current.equals(previous.getAndSet(current));
        });
        return previous.get();
    }

    private Map<String, S3Object> lakeObjects() {
        return s3.listObjectsV2Paginator(list -> list.bucket(LAKE).prefix(PARTITION)).contents().stream()
                .collect(Collectors.toMap(S3Object::key, object -> object));
    }

    private static Map<String, Instant> lastModified(Map<String, S3Object> objects) {
        return objects.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().lastModified()));
    }

    /** ParquetCopied events of this test's export: the copier of the other tests in this JVM may copy it too, into its own lake. */
    private static List<ParquetCopied> ours(KafkaConsumer<String, Object> copied) {
        return KafkaTopics.poll(copied).stream()
                .filter(record -> KEY.equals(record.key()))
                .map(record -> (ParquetCopied) record.value())
                .filter(event -> LAKE.equals(event.getLakeBucket()))
                .toList();
    }
}
