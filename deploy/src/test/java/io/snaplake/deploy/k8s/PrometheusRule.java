package io.snaplake.deploy.k8s;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Prometheus Operator's PrometheusRule (monitoring.coreos.com/v1), which client-java does not model: the
 * fields its CRD's schema defines (prometheus-operator's monitoring.coreos.com_prometheusrules.yaml, v0.7x-0.8x),
 * read strictly as {@link ScaledObject} is: an unknown field fails, and so does what the CRD requires or
 * forbids (a group name, unique group names, each rule either {@code record} or {@code alert}, an {@code expr}).
 * Whether the expressions are valid PromQL is promtool's to say (PrometheusRulesTest).
 */
record PrometheusRule(String apiVersion, String kind, Metadata metadata, Spec spec) {

    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    record Metadata(String name, String namespace, Map<String, String> labels, Map<String, String> annotations) {
    }

    record Spec(List<Group> groups) {
    }

    record Group(String name, String interval, @JsonProperty("query_offset") String queryOffset, Integer limit,
                 @JsonProperty("partial_response_strategy") String partialResponseStrategy,
                 Map<String, String> labels, List<Rule> rules) {
    }

    record Rule(String record, String alert, String expr, @JsonProperty("for") String forDuration,
                @JsonProperty("keep_firing_for") String keepFiringFor, Map<String, String> labels,
                Map<String, String> annotations) {
    }

    static PrometheusRule parse(String json) {
        PrometheusRule rule;
        try {
            rule = STRICT.readValue(json, PrometheusRule.class);
        } catch (Exception e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (rule.metadata == null || rule.metadata.name == null) {
            throw new IllegalArgumentException("metadata.name is required");
        }
        if (rule.spec == null || rule.spec.groups == null) {
            throw new IllegalArgumentException("spec.groups is required");
        }
        Set<String> names = new HashSet<>();
        for (Group group : rule.spec.groups) {
            if (group.name == null || group.name.isBlank()) {
                throw new IllegalArgumentException("every group needs a name");
            }
            if (!names.add(group.name)) {
                throw new IllegalArgumentException("group " + group.name + " is defined twice (the CRD's names are unique)");
            }
            for (Rule r : group.rules == null ? List.<Rule>of() : group.rules) {
                if ((r.record == null) == (r.alert == null)) {
                    throw new IllegalArgumentException("group " + group.name + ": a rule is either a record or an alert: " + r);
                }
                if (r.expr == null || r.expr.isBlank()) {
                    throw new IllegalArgumentException("group " + group.name + ": rule " + (r.record != null ? r.record : r.alert)
                            + " has no expr");
                }
                if (r.record != null && (r.forDuration != null || r.keepFiringFor != null || r.annotations != null)) {
                    throw new IllegalArgumentException("group " + group.name + ": recording rule " + r.record
                            + " has alerting fields (for, keep_firing_for, annotations)");
                }
            }
        }
        return rule;
    }
}
