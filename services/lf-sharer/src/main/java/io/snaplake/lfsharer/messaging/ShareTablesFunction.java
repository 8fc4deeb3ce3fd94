package io.snaplake.lfsharer.messaging;

import io.snaplake.events.CatalogedTable;
import io.snaplake.events.CrawlCompleted;
import io.snaplake.events.PipelineFailure;
import io.snaplake.events.TablesShared;
import io.snaplake.lfsharer.policy.SharingPolicy;
import io.snaplake.lfsharer.policy.SharingPolicy.ClusterPolicy;
import io.snaplake.lfsharer.share.DayShare;
import io.snaplake.pipeline.EventMetadataFactory;
import io.snaplake.pipeline.FailureEvents;
import io.snaplake.pipeline.SnapshotKeys;
import io.snaplake.pipeline.metrics.StageProgress;
import io.snaplake.pipeline.Stage;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

/**
 * The Kafka side: CrawlCompleted in, TablesShared out (shareTables-out-0), PipelineFailures
 * (shareFailed-out-0) for what someone must look at. Only maps events to and from the domain.
 */
@Configuration(proxyBeanMethods = false)
class ShareTablesFunction {

    static final String FAILURE_BINDING = "shareFailed-out-0";

    @Bean
    ShareEvents shareEvents(EventMetadataFactory eventMetadataFactory) {
        return new ShareEvents(eventMetadataFactory);
    }

    @Bean
    Function<Message<CrawlCompleted>, Message<TablesShared>> shareTables(DayShare dayShare, SharingPolicy policy, ShareEvents events,
            EventMetadataFactory metadata, StreamBridge streamBridge, StageProgress progress) {
        return message -> {
            CrawlCompleted input = message.getPayload();
            String key = SnapshotKeys.recordKey(input.getSnapshot());
            Optional<ClusterPolicy> cluster = policy.cluster(input.getSnapshot().getClusterId());
            if (cluster.isPresent() && !cluster.get().glueDatabase().equals(input.getGlueDatabase())) {
                // The policy would converge another database than the one catalogued: share nothing, say why.
                send(streamBridge, progress, key, FailureEvents.failure(metadata.following(input.getMetadata(), ShareEvents.PIPELINE_FAILURE,
                                "GLUE_DATABASE_MISMATCH"), input.getSnapshot(), Stage.LF_SHARER, "GLUE_DATABASE_MISMATCH",
                        "cluster " + input.getSnapshot().getClusterId() + " was catalogued in Glue database " + input.getGlueDatabase()
                                + " but the sharing policy " + policy.source() + " (line " + cluster.get().line() + ") names glue-database "
                                + cluster.get().glueDatabase() + ": nothing was shared. Correct glue-database in the policy.",
                        false, Map.of("glueDatabase", input.getGlueDatabase(), "policyGlueDatabase", cluster.get().glueDatabase())));
                return null;
            }
            DayShare.Result result = dayShare.share(cluster, columnsAdded(input.getTableResults()));
            events.failures(input, result).forEach(failure -> send(streamBridge, progress, key, failure));
            progress.completed(input.getSnapshot());
            return MessageBuilder.withPayload(events.tablesShared(input, result)).setHeader(KafkaHeaders.KEY, key).build();
        };
    }

    private static Map<String, Set<String>> columnsAdded(List<CatalogedTable> tables) {
        Map<String, Set<String>> added = new HashMap<>();
        tables.forEach(table -> added.put(table.getGlueTable(), new HashSet<>(table.getColumnsAdded())));
        return added;
    }

    private static void send(StreamBridge streamBridge, StageProgress progress, String key, PipelineFailure failure) {
        if (!streamBridge.send(FAILURE_BINDING, MessageBuilder.withPayload(failure).setHeader(KafkaHeaders.KEY, key).build())) {
            throw new IllegalStateException("could not publish the PipelineFailure " + failure.getReason());
        }
        progress.failed(failure);
    }
}
