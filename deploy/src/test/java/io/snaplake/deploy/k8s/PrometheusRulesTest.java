package io.snaplake.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.snaplake.deploy.Repository;
import io.snaplake.pipeline.messaging.DeadLetterPublishing;
import io.snaplake.pipeline.metrics.StageProgress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The alert rules shipped in k8s/monitoring: the plain rules file checked and unit-tested by promtool (Debian's
 * prometheus package; .ci/run installs it, and these tests fail, not skip, without it), the PrometheusRule
 * carrying the same groups, and the production overlay deploying that PrometheusRule.
 */
class PrometheusRulesTest {

    private static final Path MONITORING = Repository.root().resolve("k8s/monitoring");
    private static final Path RULES = MONITORING.resolve("snaplake-rules.yaml");

    @Test
    void thePlainRulesFile_passesPromtoolCheck() throws Exception {
        assertThat(promtool(MONITORING, "check", "rules", RULES.toString())).contains("SUCCESS: 9 rules found");
    }

    @Test
    void theRules_passTheirUnitTests_firingOnlyWhenTheyShould() throws Exception {
        assertThat(promtool(MONITORING, "test", "rules", "snaplake-rules.test.yaml")).contains("SUCCESS");
    }

    @Test
    void promtool_failsARuleFileWithBadPromQL(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "groups: [{name: g, rules: [{alert: A, expr: 'sum by (x (y)'}]}]\n");
        assertThatThrownBy(() -> promtool(dir, "check", "rules", bad.toString())).hasMessageContaining("FAILED");
    }

    @Test
    void thePrometheusRule_carriesTheGroupsOfThePlainRulesFile() throws Exception {
        Map<String, Object> plain = yaml(RULES);
        Map<String, Object> prometheusRule = yaml(MONITORING.resolve("prometheus-rule.yaml"));

        assertThat(prometheusRule).containsEntry("apiVersion", "monitoring.coreos.com/v1").containsEntry("kind", "PrometheusRule");
        assertThat(((Map<?, ?>) prometheusRule.get("spec")).get("groups"))
                .as("prometheus-rule.yaml's spec.groups must be snaplake-rules.yaml's groups (copy them, indented under spec)")
                .isEqualTo(plain.get("groups"));
    }

    @Test
    void production_deploysThePrometheusRule_whichPromtoolAccepts(@TempDir Path dir) throws Exception {
        RenderedManifests manifests = RenderedManifests.render(Repository.root(), "production");

        PrometheusRule rule = manifests.prometheusRules().stream().filter(r -> r.metadata().name().equals("snaplake"))
                .findFirst().orElseThrow(() -> new AssertionError("production renders no PrometheusRule snaplake"));
        assertThat(rule.metadata().namespace()).isEqualTo("snaplake");
        assertThat(rule.metadata().labels()).containsEntry("app.kubernetes.io/part-of", "snaplake");
        // The rendered object's groups, as the operator hands them to Prometheus (JSON is YAML to promtool).
        Path rendered = dir.resolve("rendered-rules.yaml");
        Files.writeString(rendered, JsonMapper.builder().serializationInclusion(JsonInclude.Include.NON_NULL).build()
                .writeValueAsString(Map.of("groups", rule.spec().groups())));
        assertThat(promtool(dir, "check", "rules", rendered.toString())).contains("SUCCESS: 9 rules found");
    }

    @Test
    void local_deploysNoPrometheusRule_forAClusterWithoutThePrometheusOperator() throws Exception {
        assertThat(RenderedManifests.render(Repository.root(), "local").prometheusRules()).isEmpty();
    }

    @Test
    void theRules_readTheMetricsTheServicesExport() throws Exception {
        String rules = Files.readString(RULES);

        // Micrometer's Prometheus names: dots to underscores, the base unit, _total for counters.
        assertThat(rules).contains(prometheusName(StageProgress.LAST_COMPLETED_DAY) + "_seconds")
                .contains(prometheusName(StageProgress.FAILURES) + "_total")
                .contains(prometheusName(DeadLetterPublishing.DEAD_LETTERS) + "_total")
                .contains("snaplake_exports_oldest_waiting_age_seconds")
                // The Kafka binder's gauge of a group's lag, seen in parquet-copier's /actuator/prometheus
                // (CopyExportBindingTest asserts it there).
                .contains("spring_cloud_stream_binder_kafka_offset");
    }

    @Test
    void modelCheck_rejectsWhatThePrometheusRuleCrdDoesNotAllow() {
        String unknownField = """
                apiVersion: monitoring.coreos.com/v1
                kind: PrometheusRule
                metadata: {name: x}
                spec:
                  groups: [{name: g, rules: [{alert: A, expr: up == 0, fore: 5m}]}]
                """;
        assertThatThrownBy(() -> RenderedManifests.parse("test", unknownField)).hasMessageContaining("fore");
        String recordAndAlert = """
                apiVersion: monitoring.coreos.com/v1
                kind: PrometheusRule
                metadata: {name: x}
                spec:
                  groups: [{name: g, rules: [{alert: A, record: a, expr: up == 0}]}]
                """;
        assertThatThrownBy(() -> RenderedManifests.parse("test", recordAndAlert)).hasMessageContaining("either a record or an alert");
    }

    private static String prometheusName(String micrometerName) {
        return micrometerName.replace('.', '_');
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(Path file) throws IOException {
        return (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
    }

    /** Runs promtool in {@code dir}; returns its output, or fails with it. */
    private static String promtool(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        Process process;
        try {
            process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("promtool is not installed: .ci/run installs it (apt-get install prometheus, "
                    + "Debian's package), or put Prometheus's promtool on the PATH", e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("promtool " + String.join(" ", args) + " did not finish within 60 s: " + output);
        }
        if (process.exitValue() != 0) {
            throw new AssertionError("promtool " + String.join(" ", args) + " failed (exit " + process.exitValue() + "):\n" + output);
        }
        return output;
    }
}
