package io.snaplake.lfsharer.messaging;

import io.snaplake.events.CatalogedTable;
import io.snaplake.events.CrawlCompleted;
import io.snaplake.events.TablesShared;
import io.snaplake.lfsharer.domain.DayShare;
import io.snaplake.pipeline.EventMetadataFactory;
import io.snaplake.pipeline.SnapshotKeys;
import io.snaplake.pipeline.messaging.FailurePublisher;
import io.snaplake.pipeline.metrics.StageProgress;
import io.snaplake.sharing.domain.SharingPolicy;
import io.snaplake.sharing.domain.SharingPolicy.ClusterPolicy;
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
 * The Kafka side: CrawlCompleted in, TablesShared out (shareTables-out-0), PipelineFailures (shareFailed-out-0)
 * for what someone must look at. Only maps events to and from the domain.
 */
@Configuration(proxyBeanMethods = false)
class ShareTablesFunction {

    static final String FAILURE_BINDING = "shareFailed-out-0";

    @Bean
    ShareEvents shareEvents(EventMetadataFactory eventMetadataFactory) {
        return new ShareEvents(eventMetadataFactory);
    }

    @Bean
    FailurePublisher shareFailurePublisher(StreamBridge streamBridge, StageProgress progress) {
        return new FailurePublisher(streamBridge, FAILURE_BINDING, progress);
    }

    @Bean
    Function<Message<CrawlCompleted>, Message<TablesShared>> shareTables(DayShare dayShare, SharingPolicy policy, ShareEvents events,
            FailurePublisher shareFailurePublisher, StageProgress progress) {
        return message -> {
            CrawlCompleted input = message.getPayload();
            Optional<ClusterPolicy> cluster = policy.cluster(input.getSnapshot().getClusterId());
            if (cluster.isPresent() && !cluster.get().glueDatabase().equals(input.getGlueDatabase())) {
                // The policy would converge another database than the one catalogued: share nothing, say why.
                shareFailurePublisher.publish(events.glueDatabaseMismatch(input, policy, cluster.get()));
                return null;
            }
            DayShare.Result result = dayShare.share(cluster, columnsAdded(input.getTableResults()));
            events.failures(input, result).forEach(shareFailurePublisher::publish);
            progress.completed(input.getSnapshot());
            return MessageBuilder.withPayload(events.tablesShared(input, result))
                    .setHeader(KafkaHeaders.KEY, SnapshotKeys.recordKey(input.getSnapshot())).build();
        };
    }

    private static Map<String, Set<String>> columnsAdded(List<CatalogedTable> tables) {
        Map<String, Set<String>> added = new HashMap<>();
        tables.forEach(table -> added.put(table.getGlueTable(), new HashSet<>(table.getColumnsAdded())));
        return added;
    }
}
