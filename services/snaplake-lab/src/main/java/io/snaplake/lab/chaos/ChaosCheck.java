package io.snaplake.lab.chaos;

import io.snaplake.lab.chaos.ChaosSnapshots.Export;
import io.snaplake.lab.chaos.ChaosSnapshots.Snapshot;
import io.snaplake.lab.chaos.HostileInputs.Hostile;
import io.snaplake.lab.chaos.HostileInputs.Place;
import io.snaplake.lab.chaos.TopicReader.Read;
import io.snaplake.lab.demo.DemoAws;
import io.snaplake.events.CrawlCompleted;
import io.snaplake.events.EventMetadata;
import io.snaplake.events.ExportCompleted;
import io.snaplake.events.ExportStarted;
import io.snaplake.events.ParquetCopied;
import io.snaplake.events.PipelineFailure;
import io.snaplake.events.SnapshotCreated;
import io.snaplake.events.SnapshotRef;
import io.snaplake.events.TablesShared;
import com.fasterxml.jackson.databind.JsonNode;
import io.snaplake.testkit.SimulatedLakeFormation;
import io.snaplake.testkit.proxy.FaultProxy;
import io.snaplake.testkit.proxy.Forwarded;
import io.snaplake.parquetcopier.domain.ExportTable;
import io.snaplake.parquetcopier.domain.LakeLayout;
import io.snaplake.pipeline.Topic;
import io.snaplake.rdsexportwriter.TableSpec;
import io.snaplake.rdsexportwriter.WrittenExport.WrittenObject;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.avro.specific.SpecificRecord;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.EntityNotFoundException;
import software.amazon.awssdk.services.glue.model.Partition;
import software.amazon.awssdk.services.rds.model.ExportTask;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * The end-of-run check, from AWS (moto, read directly, not through the fault proxy) and from the topics,
 * never from the services' own word: exports started per snapshot, the lake's files against the exports',
 * Glue partitions, TablesShared per snapshot, and each hostile input in its dead-letter place with a reason.
 */
final class ChaosCheck {

    /** The figures of the last line, and every problem found. */
    record Result(int snapshots, int shared, int lost, int duplicateExports, int hostileDeadLettered, int hostileTotal,
            List<String> problems) {

        boolean passed() {
            return shared == snapshots && lost == 0 && duplicateExports == 0 && hostileDeadLettered == hostileTotal
                    && problems.isEmpty();
        }

        String lastLine() {
            return String.format("chaos: %d snapshots, %d shared, %d lost, %d duplicate exports, %d/%d hostile inputs dead-lettered",
                    snapshots, shared, lost, duplicateExports, hostileDeadLettered, hostileTotal);
        }
    }

    static final List<String> EVENT_TOPICS = List.of(Topic.SNAPSHOTS_CREATED.topicName(), Topic.EXPORTS_STARTED.topicName(),
            Topic.EXPORTS_COMPLETED.topicName(), Topic.PARQUET_COPIED.topicName(), Topic.CRAWLS_COMPLETED.topicName(),
            Topic.TABLES_SHARED.topicName(), Topic.SNAPSHOT_LISTENER_FAILURES.topicName(), Topic.EXPORT_SCHEDULER_FAILURES.topicName(),
            Topic.PARQUET_COPIER_FAILURES.topicName(), Topic.CRAWLER_RUNNER_FAILURES.topicName(), Topic.LF_SHARER_FAILURES.topicName());

    private final PrintStream out;
    private final List<Snapshot> snapshots;
    private final List<Export> exports;
    private final HostileInputs hostile;
    private final URI moto;
    private final FaultProxy awsProxy;
    private final String deadLetterQueueUrl;
    private final SimulatedLakeFormation lakeFormation;
    private final String recipient;

    ChaosCheck(PrintStream out, List<Snapshot> snapshots, List<Export> exports, HostileInputs hostile, URI moto,
            FaultProxy awsProxy, String deadLetterQueueUrl, SimulatedLakeFormation lakeFormation, String recipient) {
        this.out = out;
        this.snapshots = snapshots;
        this.exports = exports;
        this.hostile = hostile;
        this.moto = moto;
        this.awsProxy = awsProxy;
        this.deadLetterQueueUrl = deadLetterQueueUrl;
        this.lakeFormation = lakeFormation;
        this.recipient = recipient;
    }

    /** Snapshots with a TablesShared on the topic so far (the run waits for all of them). */
    static Set<String> sharedArns(List<Read> records) {
        Set<String> shared = new HashSet<>();
        for (Read read : records) {
            if (read.event() instanceof TablesShared event) {
                shared.add(event.getSnapshot().getSnapshotArn());
            }
        }
        return shared;
    }

    Result run(DemoAws aws, List<Read> events, List<Read> deadLetters) {
        List<String> problems = new ArrayList<>();
        Set<String> arns = new LinkedHashSet<>();
        snapshots.forEach(s -> arns.add(s.arn()));

        // Each stage's event once per snapshot: records on the topic vs distinct event ids (a redelivery after a
        // kill may write an identical event again: same id, same content; a second id would be a second effect).
        StringBuilder perStage = new StringBuilder();
        for (Class<? extends SpecificRecord> type : List.of(SnapshotCreated.class, ExportStarted.class, ExportCompleted.class,
                ParquetCopied.class, CrawlCompleted.class, TablesShared.class)) {
            Map<String, Set<String>> ids = eventIdsByArn(events, type);
            long records = events.stream().filter(r -> type.isInstance(r.event()) && !isHostile(r.event())
                    && arns.contains(snapshotOf(r.event()).getSnapshotArn())).count();
            long distinct = arns.stream().mapToLong(arn -> ids.getOrDefault(arn, Set.of()).size()).sum();
            perStage.append(String.format("%s %d/%d, ", type.getSimpleName(), distinct, records));
            for (String arn : arns) {
                int n = ids.getOrDefault(arn, Set.of()).size();
                if (n > 1) {
                    problems.add(arn + ": " + n + " distinct " + type.getSimpleName() + " events, not one");
                }
            }
        }
        out.println("  events (distinct ids/records on the topic): " + perStage.substring(0, perStage.length() - 2));

        // Announcements: one SnapshotCreated per snapshot, none for anything else.
        Map<String, Set<String>> created = eventIdsByArn(events, SnapshotCreated.class);
        for (String arn : arns) {
            int n = created.getOrDefault(arn, Set.of()).size();
            if (n == 0) {
                problems.add(arn + " never announced (no SnapshotCreated)");
            }
        }
        created.keySet().stream().filter(arn -> !arns.contains(arn))
                .forEach(arn -> problems.add("acted on a hostile input: SnapshotCreated for " + arn));

        // Exports: from moto's DescribeExportTasks, and the StartExportTask calls that took effect on the wire.
        Map<String, Set<String>> tasks = new TreeMap<>();
        for (ExportTask task : aws.rds.describeExportTasksPaginator(r -> r.maxRecords(100)).exportTasks()) {
            tasks.computeIfAbsent(task.sourceArn(), a -> new TreeSet<>()).add(task.exportTaskIdentifier());
        }
        Map<String, Integer> effectiveStarts = new HashMap<>();
        Map<String, Integer> attemptedStarts = new HashMap<>();
        for (Forwarded call : awsProxy.forwarded("rds", "StartExportTask")) {
            String arn = call.parameters().getOrDefault("SourceArn", "?");
            attemptedStarts.merge(arn, 1, Integer::sum);
            if (call.tookEffect()) {
                effectiveStarts.merge(arn, 1, Integer::sum);
            }
        }
        int duplicates = 0;
        int exported = 0;
        for (String arn : arns) {
            int inMoto = tasks.getOrDefault(arn, Set.of()).size();
            int effective = effectiveStarts.getOrDefault(arn, 0);
            if (inMoto >= 1) {
                exported++;
            }
            if (inMoto > 1 || effective > 1) {
                duplicates++;
                problems.add(arn + " exported more than once: export tasks " + tasks.get(arn) + ", " + effective
                        + " StartExportTask calls took effect");
            }
        }
        tasks.keySet().stream().filter(arn -> !arns.contains(arn))
                .forEach(arn -> problems.add("acted on a hostile input: export task for " + arn + " " + tasks.get(arn)));
        int calls = attemptedStarts.values().stream().mapToInt(Integer::intValue).sum();
        out.printf("  exports: %d of %d snapshots exported (moto DescribeExportTasks); %d StartExportTask calls reached moto,"
                + " %d took effect%n", exported, arns.size(), calls, effectiveStarts.values().stream().mapToInt(Integer::intValue).sum());

        // The lake holds exactly each export's part files, at the keys the copier's layout gives them.
        LakeLayout layout = LakeLayout.of(ChaosSnapshots.LAKE_BUCKET, ChaosSnapshots.LAKE_PREFIX);
        Map<String, String> expectedKeys = new HashMap<>();
        Map<String, Set<String>> expectedLocations = new HashMap<>();
        for (Export export : exports) {
            Snapshot snapshot = export.snapshot();
            for (TableSpec table : export.spec().tables()) {
                String tableFolder = export.spec().root() + table.database() + "/" + table.table() + "/";
                String exportPrefix = layout.exportPrefix(snapshot.cluster(), new ExportTable(table.database(), table.table(), "COMPLETE", null),
                        snapshot.date(), export.spec().exportTaskId());
                expectedLocations.computeIfAbsent(snapshot.cluster(), c -> new HashSet<>()).add(layout.location(exportPrefix));
                for (WrittenObject part : export.written().partFiles()) {
                    if (part.key().startsWith(tableFolder)) {
                        expectedKeys.put(layout.targetKey(exportPrefix, part.key().substring(tableFolder.length())), snapshot.arn());
                    }
                }
            }
        }
        Set<String> lakeKeys = new HashSet<>();
        for (S3Object object : aws.s3.listObjectsV2Paginator(r -> r.bucket(ChaosSnapshots.LAKE_BUCKET)).contents()) {
            lakeKeys.add(object.key());
        }
        Set<String> incompleteInLake = new TreeSet<>();
        expectedKeys.forEach((key, arn) -> {
            if (!lakeKeys.contains(key)) {
                incompleteInLake.add(arn);
            }
        });
        incompleteInLake.forEach(arn -> problems.add(arn + ": the lake lacks some of its export's files"));
        List<String> extra = lakeKeys.stream().filter(key -> !expectedKeys.containsKey(key)).sorted().toList();
        if (!extra.isEmpty()) {
            problems.add("the lake holds " + extra.size() + " files no export of a chosen snapshot has, e.g. " + extra.get(0));
        }
        out.printf("  lake: %d files, %d expected (every export's part files), %d missing, %d extra%n",
                lakeKeys.size(), expectedKeys.size(), expectedKeys.keySet().stream().filter(k -> !lakeKeys.contains(k)).count(), extra.size());

        // Glue: each table-day partition once, pointing at its export's folder in the lake.
        int partitions = 0;
        try (GlueClient glue = GlueClient.builder().endpointOverride(moto).region(Region.of(DemoAws.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("chaos", "chaos"))).build()) {
            for (Map.Entry<String, Set<String>> cluster : new TreeMap<>(expectedLocations).entrySet()) {
                Map<String, Integer> seen = new HashMap<>();
                try {
                    for (var table : glue.getTablesPaginator(r -> r.databaseName(cluster.getKey())).stream()
                            .flatMap(page -> page.tableList().stream()).toList()) {
                        for (Partition partition : glue.getPartitionsPaginator(r -> r.databaseName(cluster.getKey())
                                .tableName(table.name())).stream().flatMap(page -> page.partitions().stream()).toList()) {
                            seen.merge(partition.storageDescriptor().location().replaceAll("/*$", "/"), 1, Integer::sum);
                            partitions++;
                        }
                    }
                } catch (EntityNotFoundException noDatabase) {
                    // every expected location is reported missing below
                }
                for (String location : cluster.getValue()) {
                    int n = seen.getOrDefault(location.replaceAll("/*$", "/"), 0);
                    if (n != 1) {
                        problems.add("Glue: " + n + " partitions point at " + location + ", not one");
                    }
                }
            }
        }
        out.printf("  glue: %d partitions; %d table-days expected%n", partitions,
                expectedLocations.values().stream().mapToInt(Set::size).sum());

        // Catalogued and shared: one CrawlCompleted and one TablesShared per snapshot (distinct event ids: a
        // redelivered identical event is the same event).
        Map<String, Set<String>> crawled = eventIdsByArn(events, CrawlCompleted.class);
        Map<String, Set<String>> sharedIds = eventIdsByArn(events, TablesShared.class);
        Map<String, TablesShared> lastShared = new HashMap<>();
        for (Read read : events) {
            if (read.event() instanceof TablesShared shared) {
                lastShared.put(shared.getSnapshot().getSnapshotArn(), shared);
            }
        }
        int shared = 0;
        for (String arn : arns) {
            if (crawled.getOrDefault(arn, Set.of()).isEmpty()) {
                problems.add(arn + " never catalogued (no CrawlCompleted)");
            }
            int shares = sharedIds.getOrDefault(arn, Set.of()).size();
            if (shares >= 1) {
                shared++;
            }
            TablesShared last = lastShared.get(arn);
            if (last != null && (last.getPublicTables().size() != 2 || last.getFilteredTables().size() != 1)) {
                problems.add(arn + ": shared " + last.getPublicTables() + " whole and " + last.getFilteredTables().size()
                        + " filtered; the policy says two whole and customers filtered");
            }
        }
        sharedIds.keySet().stream().filter(arn -> !arns.contains(arn))
                .forEach(arn -> problems.add("acted on a hostile input: TablesShared for " + arn));
        for (Read read : events) {
            if (read.event() instanceof ParquetCopied copied && copied.getExportTaskId().startsWith("outsider-")) {
                problems.add("acted on a hostile input: ParquetCopied for " + copied.getExportTaskId());
            }
            if (read.event() instanceof PipelineFailure failure) {
                out.println("  failure event on " + read.topic() + ": " + failure.getStage() + " " + failure.getReason() + ": "
                        + failure.getMessage());
            }
        }

        // Lake Formation's state (the double's, as ListPermissions answers): per cluster, the customers table
        // granted to the recipient through its data cells filter; the whole tables through LF-Tag grants.
        List<JsonNode> grants = lakeFormation.permissions().stream()
                .filter(g -> g.path("Principal").path("DataLakePrincipalIdentifier").asText().equals(recipient)).toList();
        long tagGrants = grants.stream().filter(g -> g.path("Resource").has("LFTagPolicy")).count();
        Set<String> filteredDatabases = new TreeSet<>();
        grants.stream().filter(g -> g.path("Resource").has("DataCellsFilter"))
                .forEach(g -> filteredDatabases.add(g.path("Resource").path("DataCellsFilter").path("DatabaseName").asText()));
        for (String cluster : new TreeSet<>(expectedLocations.keySet())) {
            if (!filteredDatabases.contains(cluster)) {
                problems.add("Lake Formation: no data cells filter grant to " + recipient + " on database " + cluster);
            }
        }
        if (tagGrants == 0) {
            problems.add("Lake Formation: no LF-Tag grant to " + recipient);
        }
        out.printf("  lake formation: %d grants to %s (%d by LF-Tag, data cells filter grants on %d databases)%n",
                grants.size(), recipient, tagGrants, filteredDatabases.size());

        int deadLettered = checkHostile(aws, deadLetters, problems);
        return new Result(arns.size(), shared, arns.size() - shared, duplicates, deadLettered, hostile.injected().size(), problems);
    }

    private int checkHostile(DemoAws aws, List<Read> deadLetters, List<String> problems) {
        List<Message> sqsDeadLetters = drainDeadLetterQueue(aws);
        int found = 0;
        out.println("  hostile inputs:");
        for (Hostile input : hostile.injected()) {
            String reason = null;
            if (input.place() == Place.SQS_DLQ) {
                for (Message message : sqsDeadLetters) {
                    MessageAttributeValue code = message.messageAttributes().get("RejectCode");
                    MessageAttributeValue why = message.messageAttributes().get("RejectReason");
                    if (message.body().contains(input.marker()) && code != null && why != null) {
                        reason = code.stringValue() + ": " + why.stringValue();
                        break;
                    }
                }
            } else {
                for (Read record : deadLetters) {
                    String message = record.headers().get("kafka_dlt-exception-message");
                    if (record.topic().equals(input.deadLetterTopic()) && record.valueText().contains(input.marker())
                            && message != null && !message.isBlank()) {
                        reason = message;
                        break;
                    }
                }
            }
            if (reason == null) {
                problems.add("hostile input not dead-lettered with a reason: " + input.description() + " (expected in "
                        + (input.place() == Place.SQS_DLQ ? "the SQS dead-letter queue" : input.deadLetterTopic()) + ")");
                out.printf("    MISSING  %s%n", input.description());
            } else {
                found++;
                out.printf("    ok       %-70s %s%n", input.description(), abbreviate(reason, 110));
            }
        }
        // Nothing else may be dead-lettered: an outage (throttling, 5xx, a restart) is waited out, never dead-lettered.
        for (Read record : deadLetters) {
            boolean isHostile = hostile.injected().stream().anyMatch(input -> record.valueText().contains(input.marker()));
            if (!isHostile) {
                problems.add("a legitimate record was dead-lettered on " + record.topic() + ": "
                        + abbreviate(record.headers().getOrDefault("kafka_dlt-exception-message", "(no reason)"), 200));
            }
        }
        for (Message message : sqsDeadLetters) {
            boolean isHostile = hostile.injected().stream().anyMatch(input -> message.body().contains(input.marker()));
            if (!isHostile) {
                MessageAttributeValue code = message.messageAttributes().get("RejectCode");
                problems.add("a legitimate message was dead-lettered on SQS (" + (code == null ? "redriven by SQS, no reason"
                        : code.stringValue()) + "): " + abbreviate(message.body(), 160));
            }
        }
        out.printf("  dead letters: %d on the topics, %d in the SQS dead-letter queue%n", deadLetters.size(), sqsDeadLetters.size());
        for (String ignored : hostile.ignoredByDesign()) {
            out.printf("    ignored  an automated snapshot of a cluster not configured (%s): acknowledged, not announced%n", ignored);
        }
        return found;
    }

    private List<Message> drainDeadLetterQueue(DemoAws aws) {
        List<Message> messages = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int empty = 0; empty < 2; ) {
            List<Message> batch = aws.sqs.receiveMessage(r -> r.queueUrl(deadLetterQueueUrl).maxNumberOfMessages(10)
                    .visibilityTimeout(600).waitTimeSeconds(1).messageAttributeNames("All")).messages();
            if (batch.isEmpty()) {
                empty++;
            }
            batch.stream().filter(m -> ids.add(m.messageId())).forEach(messages::add);
        }
        return messages;
    }

    private static Map<String, Set<String>> eventIdsByArn(List<Read> events, Class<? extends SpecificRecord> type) {
        Map<String, Set<String>> ids = new LinkedHashMap<>();
        for (Read read : events) {
            if (type.isInstance(read.event()) && !isHostile(read.event())) {
                SpecificRecord event = read.event();
                SnapshotRef snapshot = snapshotOf(event);
                EventMetadata metadata = (EventMetadata) event.get(event.getSchema().getField("metadata").pos());
                ids.computeIfAbsent(snapshot.getSnapshotArn(), a -> new LinkedHashSet<>()).add(metadata.getEventId());
            }
        }
        return ids;
    }

    /** The hostile ExportCompleted the run wrote itself (it names a real snapshot): not the pipeline's event. */
    private static boolean isHostile(SpecificRecord event) {
        EventMetadata metadata = (EventMetadata) event.get(event.getSchema().getField("metadata").pos());
        return metadata.getEventId().startsWith(HostileInputs.HOSTILE_EVENT_ID_PREFIX);
    }

    private static SnapshotRef snapshotOf(SpecificRecord event) {
        return (SnapshotRef) event.get(event.getSchema().getField("snapshot").pos());
    }

    private static String abbreviate(String text, int max) {
        String oneLine = text.replaceAll("\\s+", " ");
        return oneLine.length() <= max ? oneLine : oneLine.substring(0, max - 3) + "...";
    }

    static Duration readTimeout() {
        return Duration.ofMinutes(2);
    }
}
