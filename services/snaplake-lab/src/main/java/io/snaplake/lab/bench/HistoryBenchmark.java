package io.snaplake.lab.bench;

import io.snaplake.cli.ops.DayHistory;
import io.snaplake.cli.ops.DayReader;
import io.snaplake.cli.ops.DayWindow;
import io.snaplake.cli.ops.Flow;
import io.snaplake.cli.ops.HistoryTable;
import io.snaplake.cli.ops.KafkaEndpoints;
import io.snaplake.events.CrawlCompleted;
import io.snaplake.events.DiscoverySource;
import io.snaplake.events.EventMetadata;
import io.snaplake.events.ExportCompleted;
import io.snaplake.events.ExportStarted;
import io.snaplake.events.ParquetCopied;
import io.snaplake.events.SnapshotCreated;
import io.snaplake.events.SnapshotRef;
import io.snaplake.events.SnapshotSourceType;
import io.snaplake.events.TableCopyResult;
import io.snaplake.events.TableCopyStatus;
import io.snaplake.events.TablesShared;
import io.snaplake.testkit.LocalInfra;
import io.snaplake.testkit.LocalKafka;
import io.snaplake.pipeline.EventIds;
import io.snaplake.pipeline.SnapshotKeys;
import io.snaplake.pipeline.Stage;
import io.snaplake.pipeline.Topic;
import io.snaplake.serde.AvroSerializer;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.Callable;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code snaplake bench history}: topics holding {@code days} days of every stage's events for {@code
 * clusters} clusters, on a real broker and registry; then the time {@code history} takes for one day in the
 * middle, and how many records it read against the topics' total.
 */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = "Time `history` for one day on topics holding 30 days of 200 clusters' events.")
public final class HistoryBenchmark implements Callable<Integer> {

    @Option(names = "--days", defaultValue = "30", description = "Days of events in the topics (default ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--clusters", defaultValue = "200", description = "Clusters per day (default ${DEFAULT-VALUE}).")
    int clusters;

    @Override
    public Integer call() throws Exception {
        System.out.println("snaplake bench history: starting Kafka (KRaft) and Apicurio Registry...");
        String kafka = LocalInfra.kafka().bootstrapServers();
        String registry = LocalInfra.registry().url();
        List<NewTopic> topics = new ArrayList<>();
        // Kept whole: the events are stamped with their (past) times, beyond the default 7-day retention.
        Flow.journeyTopics().forEach(topic -> topics.add(new NewTopic(topic.topicName(), LocalKafka.PARTITIONS, (short) 1)
                .configs(Map.of("retention.ms", "-1", "segment.ms", Long.toString(Duration.ofDays(365).toMillis())))));
        LocalInfra.kafka().admin().createTopics(topics).all().get();

        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate first = today.minusDays(days);
        long published = publish(kafka, registry, first);
        LocalDate day = first.plusDays(days / 2);
        System.out.printf(Locale.ROOT, "published %,d events: %d days (%s to %s) of %d clusters, 6 events per snapshot%n",
                published, days, first, first.plusDays(days - 1), clusters);

        KafkaEndpoints endpoints = KafkaEndpoints.of(kafka, registry);
        Result warmUp = history(endpoints, day.minusDays(3));
        Result result = history(endpoints, day);
        System.out.printf(Locale.ROOT, "warm-up (day %s): %.2f s; measured day %s: %d clusters, every stage done: %s%n",
                day.minusDays(3), warmUp.seconds, day, result.history.clusters().size(),
                result.history.clusters().stream().allMatch(c -> c.stuckAt().isEmpty()));
        System.out.printf(Locale.ROOT, "history one day of %d clusters: %.2f s, read %,d of %,d events%n",
                clusters, result.seconds, result.read, published);
        return result.history.clusters().size() == clusters ? 0 : 1;
    }

    private record Result(double seconds, long read, DayHistory history) {
    }

    /** What `./snaplake history --date day` does, minus printing: read the window, build the day, render the table. */
    private static Result history(KafkaEndpoints endpoints, LocalDate day) {
        long began = System.nanoTime();
        DayWindow window = DayWindow.of(day, DayWindow.DEFAULT_LOOKAHEAD, Instant.now());
        DayReader.Result read;
        try (DayReader reader = new DayReader(endpoints)) {
            read = reader.read(Flow.journeyTopics(), window.from(), window.to(), s -> s.getSnapshotDate().equals(day));
        }
        DayHistory history = DayHistory.of(day, read.events());
        String table = HistoryTable.render(history);
        double seconds = (System.nanoTime() - began) / 1e9;
        if (table.isEmpty()) {
            throw new IllegalStateException("empty history");
        }
        return new Result(seconds, read.recordsRead(), history);
    }

    private long publish(String kafka, String registry, LocalDate first) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        AvroSerializer values = new AvroSerializer();
        values.configure(Map.of("schema.registry.url", registry, "auto.register.schemas", true,
                    // As the services register them (snaplake-defaults.yml): from the .avsc, without avro.java.string.
                    "avro.remove.java.properties", true), false);
        Random random = new Random(42);
        long count = 0;
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(props, new StringSerializer(), values)) {
            for (int d = 0; d < days; d++) {
                LocalDate day = first.plusDays(d);
                for (int c = 0; c < clusters; c++) {
                    String cluster = String.format("cluster-%03d", c);
                    Instant taken = day.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(random.nextInt(4 * 3600));
                    SnapshotRef snapshot = snapshot(cluster, day, taken);
                    Instant exported = taken.plusSeconds(600 + random.nextInt(6 * 3600));
                    Instant copied = exported.plusSeconds(30 + random.nextInt(600));
                    List<Object[]> journey = List.of(
                            new Object[] {Topic.SNAPSHOTS_CREATED, SnapshotCreated.newBuilder().setMetadata(meta(snapshot, "c", taken.plusSeconds(60), Stage.SNAPSHOT_LISTENER))
                                    .setSnapshot(snapshot).setDiscoveredBy(DiscoverySource.EVENT).build()},
                            new Object[] {Topic.EXPORTS_STARTED, ExportStarted.newBuilder().setMetadata(meta(snapshot, "s", taken.plusSeconds(90), Stage.EXPORT_SCHEDULER))
                                    .setSnapshot(snapshot).setExportTaskId("t-" + cluster).setBucket("exports").setIamRoleArn("role").setKmsKeyId("key").build()},
                            new Object[] {Topic.EXPORTS_COMPLETED, ExportCompleted.newBuilder().setMetadata(meta(snapshot, "e", exported, Stage.EXPORT_SCHEDULER))
                                    .setSnapshot(snapshot).setExportTaskId("t-" + cluster).setBucket("exports").setTotalExtractedDataInGb((long) random.nextInt(500)).build()},
                            new Object[] {Topic.PARQUET_COPIED, ParquetCopied.newBuilder().setMetadata(meta(snapshot, "p", copied, Stage.PARQUET_COPIER))
                                    .setSnapshot(snapshot).setExportTaskId("t-" + cluster).setLakeBucket("lake").setComplete(true)
                                    .setTables(List.of(TableCopyResult.newBuilder().setDatabase("db").setTable("public.t").setStatus(TableCopyStatus.COPIED)
                                            .setFilesCopied(40).setBytesCopied(1L << 30).build())).build()},
                            new Object[] {Topic.CRAWLS_COMPLETED, CrawlCompleted.newBuilder().setMetadata(meta(snapshot, "g", copied.plusSeconds(20), Stage.CRAWLER_RUNNER))
                                    .setSnapshot(snapshot).setGlueDatabase("lake").setPartition("date=" + day).setTables(List.of("t1", "t2")).setComplete(true).build()},
                            new Object[] {Topic.TABLES_SHARED, TablesShared.newBuilder().setMetadata(meta(snapshot, "l", copied.plusSeconds(30), Stage.LF_SHARER))
                                    .setSnapshot(snapshot).setGlueDatabase("lake").setRecipientAccountId("222222222222").setPublicTables(List.of("t1", "t2")).build()});
                    for (Object[] event : journey) {
                        SpecificRecord record = (SpecificRecord) event[1];
                        Instant at = ((EventMetadata) record.get(0)).getOccurredAt();
                        producer.send(new ProducerRecord<>(((Topic) event[0]).topicName(), null, at.toEpochMilli(),
                                SnapshotKeys.recordKey(snapshot), record));
                        count++;
                    }
                }
            }
            producer.flush();
        }
        return count;
    }

    private static SnapshotRef snapshot(String cluster, LocalDate day, Instant taken) {
        String id = "rds:" + cluster + "-" + day + "-03-00";
        return SnapshotRef.newBuilder().setAccountId("123456789012").setRegion("us-east-1").setSourceType(SnapshotSourceType.CLUSTER)
                .setClusterId(cluster).setSnapshotId(id).setSnapshotArn("arn:aws:rds:us-east-1:123456789012:cluster-snapshot:" + id)
                .setSnapshotDate(day).setSnapshotCreatedAt(taken).build();
    }

    private static EventMetadata meta(SnapshotRef snapshot, String type, Instant at, Stage producer) {
        return EventMetadata.newBuilder().setEventId(EventIds.of(snapshot.getSnapshotArn(), type)).setRunId(EventIds.runId(snapshot.getSnapshotArn()))
                .setOccurredAt(at).setProducer(producer.serviceName()).build();
    }
}
