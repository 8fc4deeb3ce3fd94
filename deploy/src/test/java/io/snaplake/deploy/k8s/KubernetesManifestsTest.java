package io.snaplake.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1NetworkPolicyIngressRule;
import io.kubernetes.client.openapi.models.V1NetworkPolicyPort;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.snaplake.cli.TopicLayout;
import io.snaplake.pipeline.Stage;
import io.snaplake.pipeline.Topic;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.convert.DurationStyle;

/**
 * Renders each overlay with {@code kubectl kustomize} and checks every object against the Kubernetes API
 * model (unknown fields rejected), then the rules a deployment of snaplake must keep.
 */
class KubernetesManifestsTest {

    private static final Path REPO = io.snaplake.deploy.Repository.root();
    private static final String IRSA = "eks.amazonaws.com/role-arn";
    /** What each stage does in one unit of work at most, which its shutdown must be allowed to finish. */
    private static final Map<String, Duration> LONGEST_UNIT_OF_WORK = Map.of(
            "snapshot-listener", Duration.ofSeconds(20),   // one SQS long poll (20 s, SQS's maximum) + a send
            "export-scheduler", Duration.ofSeconds(30),    // one RDS call of the export loop
            "crawler-runner", Duration.ofMinutes(2),       // one ParquetCopied's footers and Glue registration
            "lf-sharer", Duration.ofMinutes(2));           // one cluster's LF apply and check

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void everyRenderedObject_matchesTheKubernetesApiModel(String overlay) throws Exception {
        RenderedManifests manifests = RenderedManifests.render(REPO, overlay);

        assertThat(manifests.deployments()).extracting(d -> d.getMetadata().getName())
                .containsExactlyInAnyOrderElementsOf(deployedServices());
        assertThat(manifests.objectCount()).isGreaterThan(20);
    }

    @Test
    void modelCheck_rejectsAFieldTheApiDoesNotDefine() {
        String deployment = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x}
                spec:
                  selector: {matchLabels: {a: b}}
                  template:
                    metadata: {labels: {a: b}}
                    spec:
                      containers:
                        - {name: x, image: "x:1", imagePullPolicyy: Always}
                """;
        assertThatThrownBy(() -> RenderedManifests.parse("test", deployment))
                .hasMessageContaining("imagePullPolicyy");
        String scaledObject = """
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata: {name: x}
                spec:
                  scaleTargetRef: {name: x}
                  maxReplicas: 3
                  triggers: [{type: kafka, metadata: {topic: t}}]
                """;
        assertThatThrownBy(() -> RenderedManifests.parse("test", scaledObject)).hasMessageContaining("maxReplicas");
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void everyConsumer_scalesOnItsInputTopic_neverBeyondItsPartitions(String overlay) throws Exception {
        RenderedManifests manifests = RenderedManifests.render(REPO, overlay);
        int partitions = Integer.parseInt(manifests.configMap("snaplake-topics").getData().get("SNAPLAKE_TOPIC_PARTITIONS"));
        // The topics Job creates the state topic with the input's partitions (TopicLayout), checked here too.
        assertThat(TopicLayout.topics(partitions)).allSatisfy(topic -> assertThat(topic.partitions()).isEqualTo(partitions));

        Map<String, String> inputTopicByConsumer = new HashMap<>();
        for (Topic topic : Topic.values()) {
            if (!topic.isState()) {
                topic.consumers().forEach(stage -> inputTopicByConsumer.put(stage.serviceName(), topic.topicName()));
            }
        }
        assertThat(manifests.scaledObjects()).extracting(s -> s.spec().scaleTargetRef().name())
                .containsExactlyInAnyOrderElementsOf(inputTopicByConsumer.keySet());
        for (ScaledObject scaledObject : manifests.scaledObjects()) {
            String service = scaledObject.spec().scaleTargetRef().name();
            assertThat(scaledObject.spec().maxReplicaCount()).as("%s: %s maxReplicaCount", overlay, service)
                    .isBetween(1, partitions);
            assertThat(scaledObject.spec().minReplicaCount()).as("%s: %s minReplicaCount", overlay, service).isPositive();
            assertThat(scaledObject.spec().triggers()).singleElement().satisfies(trigger -> {
                assertThat(trigger.type()).isEqualTo("kafka");
                assertThat(trigger.metadata()).containsEntry("topic", inputTopicByConsumer.get(service))
                        .containsEntry("consumerGroup", service)
                        .containsEntry("bootstrapServersFromEnv", "KAFKA_BOOTSTRAP_SERVERS");
            });
        }
    }

    @Test
    void production_bindsEveryServiceAccountToItsOwnRole() throws Exception {
        RenderedManifests manifests = RenderedManifests.render(REPO, "production");

        assertThat(manifests.serviceAccounts()).extracting(sa -> sa.getMetadata().getName())
                .containsExactlyInAnyOrderElementsOf(deployedServices());
        for (V1ServiceAccount account : manifests.serviceAccounts()) {
            String name = account.getMetadata().getName();
            assertThat(account.getMetadata().getAnnotations()).as(name)
                    .hasEntrySatisfying(IRSA, arn -> assertThat(arn).matches("arn:aws:iam::\\d{12}:role/[\\w+=,.@-]*-" + name));
            assertThat(account.getMetadata().getNamespace()).isEqualTo("snaplake");
        }
    }

    @Test
    void production_kedaReadsConsumerLag_withTheBrokersCredentials_localWithout() throws Exception {
        RenderedManifests production = RenderedManifests.render(REPO, "production");
        assertThat(production.triggerAuthentications()).singleElement().satisfies(authentication -> {
            assertThat(authentication.metadata().name()).isEqualTo("snaplake-kafka");
            assertThat(authentication.spec().secretTargetRef())
                    .extracting(TriggerAuthentication.SecretTargetRef::parameter, TriggerAuthentication.SecretTargetRef::name)
                    .containsExactlyInAnyOrder(tuple("sasl", "snaplake-kafka-keda"), tuple("tls", "snaplake-kafka-keda"),
                            tuple("username", "snaplake-kafka-keda"), tuple("password", "snaplake-kafka-keda"));
        });
        assertThat(production.scaledObjects()).isNotEmpty().allSatisfy(scaledObject ->
                assertThat(scaledObject.spec().triggers()).singleElement().satisfies(trigger ->
                        assertThat(trigger.authenticationRef()).as(scaledObject.metadata().name())
                                .isEqualTo(Map.of("name", "snaplake-kafka"))));

        RenderedManifests local = RenderedManifests.render(REPO, "local");
        assertThat(local.triggerAuthentications()).isEmpty();
        assertThat(local.scaledObjects()).allSatisfy(scaledObject ->
                assertThat(scaledObject.spec().triggers().get(0).authenticationRef()).isNull());
    }

    @Test
    void production_takesAccountRegionRolesImagesAndKafka_fromItsSettingsFileAlone(@org.junit.jupiter.api.io.TempDir Path copy)
            throws Exception {
        // The repository's k8s/ tree with other settings: every rendered value must follow them, and nothing
        // of the example's account, region or registry may be left anywhere.
        Path k8s = REPO.resolve("k8s");
        try (Stream<Path> files = java.nio.file.Files.walk(k8s)) {
            for (Path file : files.toList()) {
                Path target = copy.resolve("k8s").resolve(k8s.relativize(file).toString());
                if (java.nio.file.Files.isDirectory(file)) {
                    java.nio.file.Files.createDirectories(target);
                } else {
                    java.nio.file.Files.copy(file, target);
                }
            }
        }
        java.nio.file.Files.writeString(copy.resolve("k8s/overlays/production/settings.env"), String.join("\n",
                "AWS_ACCOUNT_ID=999999999999",
                "AWS_REGION=eu-west-3",
                "IAM_ROLE_ARN_PREFIX=arn:aws:iam::999999999999:role/data-snaplake",
                "LISTENER_QUEUE_NAME=data-snaplake-rds-snapshot-events",
                "EXPORT_BUCKET=exports-bucket",
                "LAKE_BUCKET=lake-bucket",
                "EXPORT_KMS_KEY_ID=arn:aws:kms:eu-west-3:999999999999:key/11111111-2222-3333-4444-555555555555",
                "EXPORT_IAM_ROLE_ARN=arn:aws:iam::999999999999:role/data-snaplake-rds-export",
                "CLUSTERS=payments",
                "IMAGE_REPOSITORY=999999999999.dkr.ecr.eu-west-3.amazonaws.com/data",
                "IMAGE_TAG=2.3.4",
                "KAFKA_BOOTSTRAP_SERVERS=kafka-1.internal:9096",
                "SCHEMA_REGISTRY_URL=https://registry.internal", ""));

        RenderedManifests manifests = RenderedManifests.render(copy, "production");

        assertThat(manifests.serviceAccounts()).allSatisfy(sa -> assertThat(sa.getMetadata().getAnnotations())
                .containsEntry(IRSA, "arn:aws:iam::999999999999:role/data-snaplake-" + sa.getMetadata().getName()));
        List<V1Container> containers = Stream.concat(
                manifests.deployments().stream().map(d -> d.getSpec().getTemplate().getSpec()),
                manifests.jobs().stream().map(j -> j.getSpec().getTemplate().getSpec()))
                .flatMap(pod -> pod.getContainers().stream()).toList();
        assertThat(containers).hasSize(deployedServices().size() + 1).allSatisfy(container -> {
            assertThat(container.getImage()).matches("999999999999\\.dkr\\.ecr\\.eu-west-3\\.amazonaws\\.com/data/[a-z-]+:2\\.3\\.4");
            assertThat(env(container)).containsEntry("SNAPLAKE_KAFKA_CLIENTCONFIG", "/etc/snaplake/kafka/client.properties");
        });
        assertThat(manifests.configMap("snaplake-common").getData()).containsEntry("AWS_REGION", "eu-west-3")
                .containsEntry("SNAPLAKE_AWS_ACCOUNTID", "999999999999")
                .containsEntry("KAFKA_BOOTSTRAP_SERVERS", "kafka-1.internal:9096")
                .containsEntry("SCHEMA_REGISTRY_URL", "https://registry.internal");
        assertThat(manifests.configMap("snaplake").getData()).containsEntry("clusters", "payments")
                .containsEntry("listener-queue-name", "data-snaplake-rds-snapshot-events")
                .containsEntry("export-bucket", "exports-bucket").containsEntry("lake-bucket", "lake-bucket")
                .containsEntry("export-kms-key-id", "arn:aws:kms:eu-west-3:999999999999:key/11111111-2222-3333-4444-555555555555")
                .containsEntry("export-iam-role-arn", "arn:aws:iam::999999999999:role/data-snaplake-rds-export");
        String rendered = new String(new ProcessBuilder("kubectl", "kustomize", copy.resolve("k8s/overlays/production").toString())
                .start().getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(rendered).contains("kind: Deployment").doesNotContain("123456789012", "us-east-1", "deployment-settings");
    }

    @Test
    void local_bindsNoRole() throws Exception {
        RenderedManifests manifests = RenderedManifests.render(REPO, "local");

        assertThat(manifests.serviceAccounts()).allSatisfy(sa -> assertThat(
                Optional.ofNullable(sa.getMetadata().getAnnotations()).orElse(Map.of())).doesNotContainKey(IRSA));
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void everyPod_runsHardened_withPinnedImagesAndLimits_andNoKubernetesToken(String overlay) throws Exception {
        RenderedManifests manifests = RenderedManifests.render(REPO, overlay);

        List<V1PodSpec> pods = new ArrayList<>();
        manifests.deployments().forEach(d -> pods.add(d.getSpec().getTemplate().getSpec()));
        manifests.jobs().forEach(j -> pods.add(j.getSpec().getTemplate().getSpec()));
        for (V1PodSpec pod : pods) {
            assertThat(pod.getAutomountServiceAccountToken()).isFalse();
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
            assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
            for (V1Container container : pod.getContainers()) {
                assertThat(container.getImage()).as(container.getName())
                        .matches("[^:@]+(:[\\w.-]+)?(@sha256:[0-9a-f]{64})?")
                        .satisfies(image -> assertThat(image.contains(":") || image.contains("@")).as("pinned: " + image).isTrue())
                        .doesNotEndWith(":latest");
                Map<String, Quantity> limits = container.getResources().getLimits();
                assertThat(limits).as(container.getName() + " limits").containsKeys("cpu", "memory");
                assertThat(container.getResources().getRequests()).as(container.getName() + " requests").containsKeys("cpu", "memory");
                assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
                assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
                assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
            }
        }
        assertThat(manifests.serviceAccounts()).allSatisfy(sa -> assertThat(sa.getAutomountServiceAccountToken()).isFalse());
        if (overlay.equals("production")) {
            assertThat(pods).flatExtracting(V1PodSpec::getContainers).extracting(V1Container::getImage)
                    .allSatisfy(image -> assertThat(image).doesNotContain("SNAPSHOT"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void everyService_hasADisruptionBudget_andAGracePeriodCoveringItsLongestUnitOfWork(String overlay) throws Exception {
        RenderedManifests manifests = RenderedManifests.render(REPO, overlay);

        for (V1Deployment deployment : manifests.deployments()) {
            String name = deployment.getMetadata().getName();
            assertThat(manifests.disruptionBudgets()).as(name + " PodDisruptionBudget").anySatisfy(pdb -> {
                assertThat(pdb.getSpec().getSelector().getMatchLabels())
                        .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
                assertThat(pdb.getSpec().getMaxUnavailable()).isEqualTo(new IntOrString(1));
            });
            V1PodSpec pod = deployment.getSpec().getTemplate().getSpec();
            Map<String, String> env = env(pod.getContainers().get(0));
            Duration unitOfWork = name.equals("parquet-copier")
                    ? DurationStyle.detectAndParse(env.get("SNAPLAKE_COPIER_COPYTIMEOUT"))
                    : LONGEST_UNIT_OF_WORK.get(name);
            assertThat(unitOfWork).as(name + ": longest unit of work").isNotNull();
            // Spring stops the consumer and waits up to the lifecycle timeout for the unit in hand; the pod's
            // grace period must outlast that wait, or the kubelet kills the JVM mid-unit.
            Duration lifecycle = DurationStyle.detectAndParse(env.get("SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE"));
            assertThat(lifecycle).as(name + ": lifecycle timeout").isGreaterThan(unitOfWork);
            assertThat(Duration.ofSeconds(pod.getTerminationGracePeriodSeconds())).as(name + ": grace period")
                    .isGreaterThanOrEqualTo(lifecycle.plusSeconds(15));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void networkPolicies_openTheListenerApiToOperators_andMetricsToMonitoring_only(String overlay) throws Exception {
        RenderedManifests manifests = RenderedManifests.render(REPO, overlay);

        assertThat(manifests.networkPolicies()).anySatisfy(policy -> {
            assertThat(policy.getSpec().getPodSelector().getMatchLabels()).containsEntry("app.kubernetes.io/part-of", "snaplake");
            assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
            assertThat(policy.getSpec().getIngress()).isNullOrEmpty();
        });
        for (V1NetworkPolicy policy : manifests.networkPolicies()) {
            for (V1NetworkPolicyIngressRule rule : Optional.ofNullable(policy.getSpec().getIngress()).orElse(List.of())) {
                assertThat(rule.getFrom()).as(policy.getMetadata().getName() + ": a source").isNotEmpty()
                        .allSatisfy(peer -> assertThat(peer.getNamespaceSelector()).isNotNull());
                List<Integer> ports = rule.getPorts().stream().map(V1NetworkPolicyPort::getPort).map(IntOrString::getIntValue).toList();
                Map<String, String> namespaceLabels = rule.getFrom().get(0).getNamespaceSelector().getMatchLabels();
                if (ports.equals(List.of(8081))) {
                    assertThat(namespaceLabels).isEqualTo(Map.of("kubernetes.io/metadata.name", "monitoring"));
                } else {
                    assertThat(ports).isEqualTo(List.of(8080));
                    assertThat(policy.getSpec().getPodSelector().getMatchLabels())
                            .isEqualTo(Map.of("app.kubernetes.io/name", "snapshot-listener"));
                    assertThat(namespaceLabels).isEqualTo(Map.of("snaplake.io/operators", "true"));
                }
            }
        }
        // Metrics and probes live on 8081, the API on 8080: the split the policies depend on.
        assertThat(manifests.configMap("snaplake-common").getData())
                .containsEntry("SERVER_PORT", "8080").containsEntry("MANAGEMENT_SERVER_PORT", "8081");
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void topicsJob_createsTheCodesTopicList_andEveryConfigReferenceResolves(String overlay) throws Exception {
        RenderedManifests manifests = RenderedManifests.render(REPO, overlay);

        assertThat(manifests.jobs()).singleElement().satisfies(job ->
                assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
                        .containsExactly("topics", "--create"));
        List<V1PodSpec> pods = Stream.concat(
                manifests.deployments().stream().map(d -> d.getSpec().getTemplate().getSpec()),
                manifests.jobs().stream().map(j -> j.getSpec().getTemplate().getSpec())).toList();
        for (V1PodSpec pod : pods) {
            for (V1Container container : pod.getContainers()) {
                Optional.ofNullable(container.getEnvFrom()).orElse(List.of()).forEach(source ->
                        manifests.configMap(source.getConfigMapRef().getName()));
                for (V1EnvVar var : Optional.ofNullable(container.getEnv()).orElse(List.of())) {
                    if (var.getValueFrom() != null) {
                        var ref = var.getValueFrom().getConfigMapKeyRef();
                        assertThat(manifests.configMap(ref.getName()).getData()).as(container.getName() + " " + var.getName())
                                .containsKey(ref.getKey());
                    }
                }
            }
            Optional.ofNullable(pod.getVolumes()).orElse(List.of()).stream().filter(v -> v.getConfigMap() != null)
                    .forEach(v -> manifests.configMap(v.getConfigMap().getName()));
        }
        assertThat(manifests.configMap("snaplake-sharing-policy").getData()).containsKey("sharing-policy.yaml");
    }

    private static List<String> deployedServices() {
        return Arrays.stream(Stage.values()).map(Stage::serviceName).toList();
    }

    private static Map<String, String> env(V1Container container) {
        Map<String, String> env = new HashMap<>();
        Optional.ofNullable(container.getEnv()).orElse(List.of()).stream().filter(v -> v.getValue() != null)
                .forEach(v -> env.put(v.getName(), v.getValue()));
        return env;
    }
}
