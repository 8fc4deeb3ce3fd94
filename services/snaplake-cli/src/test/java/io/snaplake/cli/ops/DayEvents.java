package io.snaplake.cli.ops;

import io.snaplake.events.CatalogedTable;
import io.snaplake.events.CrawlCompleted;
import io.snaplake.events.DiscoverySource;
import io.snaplake.events.EventMetadata;
import io.snaplake.events.ExportCompleted;
import io.snaplake.events.ExportStarted;
import io.snaplake.events.FilteredTable;
import io.snaplake.events.ParquetCopied;
import io.snaplake.events.PipelineFailure;
import io.snaplake.events.SnapshotCreated;
import io.snaplake.events.SnapshotRef;
import io.snaplake.events.SnapshotSourceType;
import io.snaplake.events.TableCatalogStatus;
import io.snaplake.events.TableCopyResult;
import io.snaplake.events.TableCopyStatus;
import io.snaplake.events.TablesShared;
import io.snaplake.pipeline.EventIds;
import io.snaplake.pipeline.SnapshotKeys;
import io.snaplake.pipeline.Stage;
import io.snaplake.pipeline.Topic;
import io.snaplake.serde.AvroSerializer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Object mother: one snapshot's events through every stage, as the stages write them, at chosen times. */
final class DayEvents {

    static final String ACCOUNT = "123456789012";
    static final String REGION = "us-east-1";

    private DayEvents() {
    }

    static SnapshotRef snapshot(String cluster, LocalDate day) {
        String id = String.format("rds:%s-%s-03-00", cluster, day);
        return SnapshotRef.newBuilder()
                .setAccountId(ACCOUNT).setRegion(REGION).setSourceType(SnapshotSourceType.CLUSTER)
                .setClusterId(cluster).setSnapshotId(id)
                .setSnapshotArn("arn:aws:rds:" + REGION + ":" + ACCOUNT + ":cluster-snapshot:" + id)
                .setSnapshotDate(day)
                .setSnapshotCreatedAt(day.atTime(3, 0).toInstant(ZoneOffset.UTC))
                .build();
    }

    static EventMetadata metadata(SnapshotRef snapshot, String type, Instant at, Stage producer, String replayOf) {
        return EventMetadata.newBuilder()
                .setEventId(EventIds.of(snapshot.getSnapshotArn(), type, at.toString()))
                .setRunId(EventIds.runId(snapshot.getSnapshotArn()))
                .setOccurredAt(at)
                .setProducer(producer.serviceName())
                .setReplayOf(replayOf)
                .build();
    }

    static SnapshotCreated created(SnapshotRef snapshot, Instant at) {
        return SnapshotCreated.newBuilder().setMetadata(metadata(snapshot, "created", at, Stage.SNAPSHOT_LISTENER, null))
                .setSnapshot(snapshot).setDiscoveredBy(DiscoverySource.EVENT).setForceExport(false).build();
    }

    static ExportStarted exportStarted(SnapshotRef snapshot, Instant at) {
        return ExportStarted.newBuilder().setMetadata(metadata(snapshot, "started", at, Stage.EXPORT_SCHEDULER, null))
                .setSnapshot(snapshot).setExportTaskId("snaplake-" + snapshot.getClusterId()).setBucket("exports")
                .setIamRoleArn("arn:aws:iam::" + ACCOUNT + ":role/export").setKmsKeyId("key").build();
    }

    static ExportCompleted exportCompleted(SnapshotRef snapshot, Instant at, long gigabytes) {
        return ExportCompleted.newBuilder().setMetadata(metadata(snapshot, "exported", at, Stage.EXPORT_SCHEDULER, null))
                .setSnapshot(snapshot).setExportTaskId("snaplake-" + snapshot.getClusterId()).setBucket("exports")
                .setTotalExtractedDataInGb(gigabytes).setStartedAt(at.minusSeconds(600)).setCompletedAt(at).build();
    }

    static ParquetCopied parquetCopied(SnapshotRef snapshot, Instant at, long files, long bytes) {
        return ParquetCopied.newBuilder().setMetadata(metadata(snapshot, "copied", at, Stage.PARQUET_COPIER, null))
                .setSnapshot(snapshot).setExportTaskId("snaplake-" + snapshot.getClusterId()).setLakeBucket("lake")
                .setComplete(true)
                .setTables(List.of(TableCopyResult.newBuilder().setDatabase("db").setTable("public.t")
                        .setStatus(TableCopyStatus.COPIED).setFilesFound(files).setBytesFound(bytes)
                        .setFilesCopied(files).setBytesCopied(bytes).build()))
                .build();
    }

    static CrawlCompleted crawlCompleted(SnapshotRef snapshot, Instant at, int tables) {
        CrawlCompleted.Builder crawl = CrawlCompleted.newBuilder()
                .setMetadata(metadata(snapshot, "crawled", at, Stage.CRAWLER_RUNNER, null))
                .setSnapshot(snapshot).setGlueDatabase("lake_" + snapshot.getClusterId())
                .setPartition("date=" + snapshot.getSnapshotDate()).setComplete(true);
        crawl.setTableResults(java.util.stream.IntStream.range(0, tables).mapToObj(i -> CatalogedTable.newBuilder()
                .setSourceDatabase("db").setSourceTable("public.t" + i).setGlueTable("t" + i)
                .setStatus(TableCatalogStatus.UPDATED).build()).toList());
        return crawl.build();
    }

    static TablesShared tablesShared(SnapshotRef snapshot, Instant at, List<String> publicTables, String filtered) {
        return TablesShared.newBuilder().setMetadata(metadata(snapshot, "shared", at, Stage.LF_SHARER, null))
                .setSnapshot(snapshot).setGlueDatabase("lake_" + snapshot.getClusterId())
                .setRecipientAccountId("222222222222").setPublicTables(publicTables)
                .setFilteredTables(List.of(FilteredTable.newBuilder().setTable(filtered).setFilterName(filtered + "_filter")
                        .setIncludedColumns(List.of("id")).build()))
                .build();
    }

    static PipelineFailure failure(SnapshotRef snapshot, Instant at, Stage stage, String reason, String message,
            Map<String, String> details) {
        return PipelineFailure.newBuilder().setMetadata(metadata(snapshot, "failed-" + reason, at, stage, null))
                .setSnapshot(snapshot).setStage(stage.eventValue()).setReason(reason).setMessage(message)
                .setRetryable(false).setDetails(details).build();
    }

    /** The same event marked as a replay of {@code original} (what the CLI and then the stages write). */
    static <T extends SpecificRecord> T asReplay(T event, SpecificRecord original, Instant at) {
        EventMetadata originalMetadata = (EventMetadata) original.get(original.getSchema().getField("metadata").pos());
        EventMetadata metadata = (EventMetadata) event.get(event.getSchema().getField("metadata").pos());
        event.put(event.getSchema().getField("metadata").pos(), EventMetadata.newBuilder(metadata)
                .setEventId(EventIds.of(metadata.getEventId(), "replay", at.toString()))
                .setOccurredAt(at).setReplayOf(originalMetadata.getEventId()).build());
        return event;
    }

    /** A replayed input as the CLI writes it: a replay, and the CLI its producer. */
    static <T extends SpecificRecord> T replayedByCli(T event, SpecificRecord original, Instant at) {
        T replay = asReplay(event, original, at);
        EventMetadata metadata = (EventMetadata) replay.get(replay.getSchema().getField("metadata").pos());
        metadata.setProducer(ReplayPlan.PRODUCER);
        return replay;
    }

    /** Publishes events to their topics, each record stamped with its event's time (as a producer at that time would). */
    static final class Publisher implements AutoCloseable {

        private final KafkaProducer<String, Object> producer;
        private final KafkaProducer<String, byte[]> raw;

        Publisher(String bootstrapServers, String registryUrl) {
            this(bootstrapServers, registryUrl, Map.of());
        }

        /** With {@code security} (SASL settings) in the clients' configuration. */
        Publisher(String bootstrapServers, String registryUrl, Map<String, String> security) {
            Properties props = new Properties();
            props.putAll(security);
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
            AvroSerializer values = new AvroSerializer();
            values.configure(Map.of("schema.registry.url", registryUrl, "auto.register.schemas", true,
                    // As the services register them (snaplake-defaults.yml): from the .avsc, without avro.java.string.
                    "avro.remove.java.properties", true), false);
            producer = new KafkaProducer<>(props, new StringSerializer(), values);
            raw = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        }

        void publish(Topic topic, SpecificRecord event) {
            SnapshotRef snapshot = DayEvent.snapshotOf(event);
            EventMetadata metadata = (EventMetadata) event.get(event.getSchema().getField("metadata").pos());
            producer.send(new ProducerRecord<>(topic.topicName(), null, metadata.getOccurredAt().toEpochMilli(),
                    SnapshotKeys.recordKey(snapshot), event));
        }

        /** Bytes that are not our Avro (a stray record), written beside the events. */
        void publishRaw(String topic, Instant at, byte[] bytes) {
            raw.send(new ProducerRecord<>(topic, null, at.toEpochMilli(), "poison", bytes));
        }

        void flush() {
            producer.flush();
            raw.flush();
        }

        @Override
        public void close() {
            producer.close();
            raw.close();
        }
    }
}
