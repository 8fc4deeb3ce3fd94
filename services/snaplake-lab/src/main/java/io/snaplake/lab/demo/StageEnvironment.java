package io.snaplake.lab.demo;

import io.snaplake.pipeline.Stage;
import java.net.URI;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The services' environment on the local stack: where Kafka, the registry and AWS (moto) are, and each
 * stage's own settings (its queue, buckets, sharing policy); a run adds or changes settings of its own.
 * The names are the services' environment variables, in one place for every lab command.
 */
public final class StageEnvironment {

    private static final String KMS_KEY = "arn:aws:kms:" + DemoAws.REGION + ":" + DemoAws.ACCOUNT_ID + ":key/snaplake-local";
    private static final String EXPORT_ROLE = "arn:aws:iam::" + DemoAws.ACCOUNT_ID + ":role/snaplake-export";

    private final Map<String, String> common = new LinkedHashMap<>();
    private final Map<Stage, Map<String, String>> own = new EnumMap<>(Stage.class);

    /** Every service's connections: Kafka, the registry, and moto's endpoint (any credentials do). */
    public StageEnvironment(String kafka, String registry, URI awsEndpoint) {
        common.put("KAFKA_BOOTSTRAP_SERVERS", kafka);
        common.put("SCHEMA_REGISTRY_URL", registry);
        common.put("SNAPLAKE_AWS_ENDPOINT", awsEndpoint.toString());
        common.put("AWS_REGION", DemoAws.REGION);
        common.put("SNAPLAKE_AWS_ACCOUNTID", DemoAws.ACCOUNT_ID);
        common.put("AWS_ACCESS_KEY_ID", "local");
        common.put("AWS_SECRET_ACCESS_KEY", "local");
        for (Stage stage : Stage.values()) {
            own.put(stage, new LinkedHashMap<>());
        }
    }

    /**
     * Each stage's place in the run: the listener's queue and clusters (names or patterns, comma-separated),
     * the export and lake buckets, the sharing policy and the Lake Formation endpoint; polls every second.
     */
    public StageEnvironment pipeline(LocalResources resources, String queueUrl, String clusters, Path sharingPolicy,
            URI lakeFormation) {
        set(Stage.SNAPSHOT_LISTENER, "SNAPLAKE_LISTENER_QUEUE_URL", queueUrl);
        set(Stage.SNAPSHOT_LISTENER, "SNAPLAKE_LISTENER_SOURCES_CLUSTERS", clusters);
        set(Stage.SNAPSHOT_LISTENER, "SNAPLAKE_LISTENER_QUEUE_WAITTIME", "1s");
        set(Stage.EXPORT_SCHEDULER, "SNAPLAKE_EXPORTSCHEDULER_DEFAULTS_BUCKET", resources.exportBucket());
        set(Stage.EXPORT_SCHEDULER, "SNAPLAKE_EXPORTSCHEDULER_DEFAULTS_PREFIX", resources.exportPrefix());
        set(Stage.EXPORT_SCHEDULER, "SNAPLAKE_EXPORTSCHEDULER_DEFAULTS_KMSKEYID", KMS_KEY);
        set(Stage.EXPORT_SCHEDULER, "SNAPLAKE_EXPORTSCHEDULER_DEFAULTS_IAMROLEARN", EXPORT_ROLE);
        set(Stage.EXPORT_SCHEDULER, "SNAPLAKE_EXPORTSCHEDULER_POLLINTERVAL", "1s");
        set(Stage.PARQUET_COPIER, "SNAPLAKE_COPIER_ALLOWEDEXPORTBUCKETS", resources.exportBucket());
        set(Stage.PARQUET_COPIER, "SNAPLAKE_COPIER_LAKEBUCKET", resources.lakeBucket());
        set(Stage.PARQUET_COPIER, "SNAPLAKE_COPIER_LAKEPREFIX", resources.lakePrefix());
        set(Stage.LF_SHARER, "SNAPLAKE_SHARER_POLICYFILE", sharingPolicy.toString());
        set(Stage.LF_SHARER, "SNAPLAKE_SHARER_LAKEFORMATIONENDPOINT", lakeFormation.toString());
        return this;
    }

    /** Sets (or replaces) one of {@code stage}'s settings. */
    public StageEnvironment set(Stage stage, String name, String value) {
        own.get(stage).put(name, value);
        return this;
    }

    /** The whole environment of {@code stage}'s process. */
    public Map<String, String> of(Stage stage) {
        Map<String, String> environment = new LinkedHashMap<>(common);
        environment.putAll(own.get(stage));
        return environment;
    }

    /** The connections alone, as the operator commands find them in {@code ./snaplake up}'s file. */
    public Map<String, String> connections() {
        Map<String, String> connections = new LinkedHashMap<>();
        for (String name : new String[] {"KAFKA_BOOTSTRAP_SERVERS", "SCHEMA_REGISTRY_URL", "SNAPLAKE_AWS_ENDPOINT", "AWS_REGION"}) {
            connections.put(name, common.get(name));
        }
        return connections;
    }
}
