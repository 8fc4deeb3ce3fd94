package io.snaplake.deploy.k8s;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.List;
import java.util.Map;

/**
 * KEDA's ScaledObject (keda.sh/v1alpha1), which client-java does not model: the fields of KEDA 2.x's CRD
 * and the Kafka scaler's metadata keys (keda.sh/docs/2.17/scalers/apache-kafka), read strictly: an unknown
 * field, or an unknown Kafka scaler setting, fails as client-java's models do.
 */
record ScaledObject(String apiVersion, String kind, Metadata metadata, Spec spec) {

    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private static final List<String> KAFKA_METADATA = List.of("bootstrapServers", "bootstrapServersFromEnv",
            "consumerGroup", "consumerGroupFromEnv", "topic", "topicFromEnv", "lagThreshold",
            "activationLagThreshold", "offsetResetPolicy", "allowIdleConsumers", "scaleToZeroOnInvalidOffset",
            "excludePersistentLag", "limitToPartitionsWithLag", "ensureEvenDistributionOfPartitions",
            "partitionLimitation", "version", "sasl", "tls", "unsafeSsl");

    record Metadata(String name, String namespace, Map<String, String> labels, Map<String, String> annotations) {
    }

    record Spec(ScaleTargetRef scaleTargetRef, Integer pollingInterval, Integer cooldownPeriod,
                Integer initialCooldownPeriod, Integer idleReplicaCount, Integer minReplicaCount,
                Integer maxReplicaCount, Map<String, Object> fallback, Map<String, Object> advanced,
                List<Trigger> triggers) {
    }

    record ScaleTargetRef(String apiVersion, String kind, String name, String envSourceContainerName) {
    }

    record Trigger(String type, String name, String metricType, Boolean useCachedMetrics,
                   Map<String, String> metadata, Map<String, Object> authenticationRef) {
    }

    static ScaledObject parse(String json) {
        ScaledObject scaledObject;
        try {
            scaledObject = STRICT.readValue(json, ScaledObject.class);
        } catch (Exception e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (scaledObject.spec == null || scaledObject.spec.scaleTargetRef == null
                || scaledObject.spec.triggers == null || scaledObject.spec.triggers.isEmpty()) {
            throw new IllegalArgumentException("spec.scaleTargetRef and spec.triggers are required");
        }
        for (Trigger trigger : scaledObject.spec.triggers) {
            if ("kafka".equals(trigger.type)) {
                trigger.metadata.keySet().stream().filter(key -> !KAFKA_METADATA.contains(key)).findFirst()
                        .ifPresent(key -> {
                            throw new IllegalArgumentException("the Kafka scaler has no setting " + key);
                        });
            }
        }
        return scaledObject;
    }
}
