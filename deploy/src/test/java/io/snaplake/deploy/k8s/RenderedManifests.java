package io.snaplake.deploy.k8s;

import com.google.gson.Gson;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * An overlay rendered by {@code kubectl kustomize}, every object read into the official Kubernetes API
 * model (client-java's generated classes, whose readers reject any field the API does not define and any
 * missing required field) or, for the custom resources, into strict models of their CRDs: KEDA's ScaledObject
 * ({@link ScaledObject}) and TriggerAuthentication ({@link TriggerAuthentication}), and the Prometheus
 * Operator's PrometheusRule ({@link PrometheusRule}).
 */
record RenderedManifests(String overlay, List<V1ServiceAccount> serviceAccounts, List<V1Deployment> deployments,
                         List<V1PodDisruptionBudget> disruptionBudgets, List<V1NetworkPolicy> networkPolicies,
                         List<V1ConfigMap> configMaps, List<V1Service> services, List<V1Job> jobs,
                         List<ScaledObject> scaledObjects, List<TriggerAuthentication> triggerAuthentications,
                         List<PrometheusRule> prometheusRules) {

    static RenderedManifests render(Path repoRoot, String overlay) throws IOException, InterruptedException {
        Path dir = repoRoot.resolve("k8s/overlays").resolve(overlay);
        Process kubectl;
        try {
            kubectl = new ProcessBuilder("kubectl", "kustomize", dir.toString()).redirectErrorStream(false).start();
        } catch (IOException e) {
            throw new IllegalStateException("kubectl is not installed: .ci/run installs it (apt-get install "
                    + "kubernetes-client), or install kubectl 1.14+ yourself", e);
        }
        byte[] stdout = kubectl.getInputStream().readAllBytes();
        String stderr = new String(kubectl.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!kubectl.waitFor(60, TimeUnit.SECONDS) || kubectl.exitValue() != 0) {
            throw new IllegalStateException("kubectl kustomize " + dir + " failed: " + stderr);
        }
        return parse(overlay, new String(stdout, StandardCharsets.UTF_8));
    }

    static RenderedManifests parse(String overlay, String yamlDocuments) {
        List<V1ServiceAccount> serviceAccounts = new ArrayList<>();
        List<V1Deployment> deployments = new ArrayList<>();
        List<V1PodDisruptionBudget> budgets = new ArrayList<>();
        List<V1NetworkPolicy> networkPolicies = new ArrayList<>();
        List<V1ConfigMap> configMaps = new ArrayList<>();
        List<V1Service> services = new ArrayList<>();
        List<V1Job> jobs = new ArrayList<>();
        List<ScaledObject> scaledObjects = new ArrayList<>();
        List<TriggerAuthentication> triggerAuthentications = new ArrayList<>();
        List<PrometheusRule> prometheusRules = new ArrayList<>();
        Gson gson = JSON.getGson();
        for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(yamlDocuments)) {
            if (document == null) {
                continue;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> object = (Map<String, Object>) document;
            String kind = apiVersionAndKind(object);
            String json = gson.toJson(object);
            try {
                switch (kind) {
                    case "v1/ServiceAccount" -> serviceAccounts.add(JSON.deserialize(json, V1ServiceAccount.class));
                    case "apps/v1/Deployment" -> deployments.add(JSON.deserialize(json, V1Deployment.class));
                    case "policy/v1/PodDisruptionBudget" -> budgets.add(JSON.deserialize(json, V1PodDisruptionBudget.class));
                    case "networking.k8s.io/v1/NetworkPolicy" -> networkPolicies.add(JSON.deserialize(json, V1NetworkPolicy.class));
                    case "v1/ConfigMap" -> configMaps.add(JSON.deserialize(json, V1ConfigMap.class));
                    case "v1/Service" -> services.add(JSON.deserialize(json, V1Service.class));
                    case "batch/v1/Job" -> jobs.add(JSON.deserialize(json, V1Job.class));
                    case "keda.sh/v1alpha1/ScaledObject" -> scaledObjects.add(ScaledObject.parse(json));
                    case "keda.sh/v1alpha1/TriggerAuthentication" -> triggerAuthentications.add(TriggerAuthentication.parse(json));
                    case "monitoring.coreos.com/v1/PrometheusRule" -> prometheusRules.add(PrometheusRule.parse(json));
                    default -> throw new IllegalArgumentException("no model for " + kind
                            + ": add it to RenderedManifests so that the test checks it");
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(overlay + ": " + kind + " " + name(object)
                        + " does not match the Kubernetes API: " + e.getMessage(), e);
            }
        }
        return new RenderedManifests(overlay, serviceAccounts, deployments, budgets, networkPolicies, configMaps,
                services, jobs, scaledObjects, triggerAuthentications, prometheusRules);
    }

    private static String apiVersionAndKind(Map<String, Object> object) {
        return object.get("apiVersion") + "/" + object.get("kind");
    }

    @SuppressWarnings("unchecked")
    private static Object name(Map<String, Object> object) {
        return ((Map<String, Object>) object.getOrDefault("metadata", Map.of())).get("name");
    }

    V1ConfigMap configMap(String name) {
        return configMaps.stream().filter(c -> c.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(overlay + ": no ConfigMap " + name));
    }

    int objectCount() {
        return serviceAccounts.size() + deployments.size() + disruptionBudgets.size() + networkPolicies.size()
                + configMaps.size() + services.size() + jobs.size() + scaledObjects.size() + triggerAuthentications.size()
                + prometheusRules.size();
    }


}
