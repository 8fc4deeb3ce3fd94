package io.snaplake.pipeline;

import io.snaplake.events.CrawlCompleted;
import io.snaplake.events.ExportCompleted;
import io.snaplake.events.ExportStarted;
import io.snaplake.events.ExportTaskState;
import io.snaplake.events.ParquetCopied;
import io.snaplake.events.PipelineFailure;
import io.snaplake.events.SnapshotCreated;
import io.snaplake.events.TablesShared;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;

/**
 * The one written list of snaplake's topics: name, key, value schema, its single producer and its
 * consumers. The README's topic table is checked against this list by a test.
 *
 * <p>Every record key is {@link SnapshotKeys#recordKey}, {@code <account>:<cluster>}, so that one
 * cluster's events stay in order on one partition. Terminal failures go to one topic per stage, so
 * that every topic keeps a single writer; alerting subscribes to {@code snaplake.failures.*}.
 */
public enum Topic {
    SNAPSHOTS_CREATED("snaplake.snapshots.created", SnapshotCreated.class, Stage.SNAPSHOT_LISTENER,
            List.of(Stage.EXPORT_SCHEDULER)),
    EXPORTS_STARTED("snaplake.exports.started", ExportStarted.class, Stage.EXPORT_SCHEDULER,
            List.of()),
    EXPORTS_COMPLETED("snaplake.exports.completed", ExportCompleted.class, Stage.EXPORT_SCHEDULER,
            List.of(Stage.PARQUET_COPIER)),
    PARQUET_COPIED("snaplake.parquet.copied", ParquetCopied.class, Stage.PARQUET_COPIER,
            List.of(Stage.CRAWLER_RUNNER)),
    CRAWLS_COMPLETED("snaplake.crawls.completed", CrawlCompleted.class, Stage.CRAWLER_RUNNER,
            List.of(Stage.LF_SHARER)),
    TABLES_SHARED("snaplake.tables.shared", TablesShared.class, Stage.LF_SHARER,
            List.of()),
    SNAPSHOT_LISTENER_FAILURES("snaplake.failures.snapshot-listener", PipelineFailure.class,
            Stage.SNAPSHOT_LISTENER, List.of()),
    EXPORT_SCHEDULER_FAILURES("snaplake.failures.export-scheduler", PipelineFailure.class,
            Stage.EXPORT_SCHEDULER, List.of()),
    PARQUET_COPIER_FAILURES("snaplake.failures.parquet-copier", PipelineFailure.class,
            Stage.PARQUET_COPIER, List.of()),
    CRAWLER_RUNNER_FAILURES("snaplake.failures.crawler-runner", PipelineFailure.class,
            Stage.CRAWLER_RUNNER, List.of()),
    LF_SHARER_FAILURES("snaplake.failures.lf-sharer", PipelineFailure.class,
            Stage.LF_SHARER, List.of()),
    /**
     * export-scheduler's own durable state (compacted; key {@code <account>:<cluster>/<snapshot ARN>}),
     * with as many partitions as {@link #SNAPSHOTS_CREATED}: state partition p belongs to the replica
     * that owns input partition p.
     */
    EXPORT_SCHEDULER_STATE("snaplake.export-scheduler.state", ExportTaskState.class, Stage.EXPORT_SCHEDULER,
            List.of(Stage.EXPORT_SCHEDULER)),
    /**
     * crawler-runner's copies waiting for a crawl (crawler method; compacted; key
     * {@code <account>:<cluster>/<export task id>}), replaced once crawled by the CrawlCompleted they got (kept to
     * answer replays, tombstoned after a retention; both types registered with TopicRecordNameStrategy), with as
     * many partitions as {@link #PARQUET_COPIED}: state partition p belongs to the replica that owns input partition p.
     */
    CRAWLER_RUNNER_STATE("snaplake.crawler-runner.state", ParquetCopied.class, Stage.CRAWLER_RUNNER,
            List.of(Stage.CRAWLER_RUNNER));

    private final String topicName;
    private final Class<? extends SpecificRecord> valueType;
    private final Stage producer;
    private final List<Stage> consumers;

    Topic(String topicName, Class<? extends SpecificRecord> valueType, Stage producer, List<Stage> consumers) {
        this.topicName = topicName;
        this.valueType = valueType;
        this.producer = producer;
        this.consumers = consumers;
    }

    public String topicName() {
        return topicName;
    }

    public Class<? extends SpecificRecord> valueType() {
        return valueType;
    }

    /** What the record key is: one snapshot's events share the key of its cluster, except on the state topic. */
    public String keyDescription() {
        return switch (this) {
            case EXPORT_SCHEDULER_STATE -> "<account>:<cluster>/<snapshot ARN>";
            case CRAWLER_RUNNER_STATE -> "<account>:<cluster>/<export task id>";
            default -> "<account>:<cluster>";
        };
    }

    /** A stage's own durable state (compacted, read by the stage's state store, not by a binding: no dead letters). */
    public boolean isState() {
        return this == EXPORT_SCHEDULER_STATE || this == CRAWLER_RUNNER_STATE;
    }

    public Stage producer() {
        return producer;
    }

    public List<Stage> consumers() {
        return consumers;
    }

    /** The dead-letter topic of a stage's consumer of this topic: records it could not handle, with the reason in headers. */
    public String deadLetterTopic(Stage consumer) {
        return topicName + "." + consumer.serviceName() + ".dlq";
    }

    public static Optional<Topic> byName(String topicName) {
        return Arrays.stream(values()).filter(topic -> topic.topicName.equals(topicName)).findFirst();
    }

    public static Topic failuresOf(Stage stage) {
        return Arrays.stream(values())
                .filter(topic -> topic.valueType == PipelineFailure.class && topic.producer == stage)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no failure topic for stage " + stage));
    }
}
