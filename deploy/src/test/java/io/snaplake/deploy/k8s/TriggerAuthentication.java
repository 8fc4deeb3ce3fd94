package io.snaplake.deploy.k8s;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.List;
import java.util.Map;

/**
 * KEDA's TriggerAuthentication (keda.sh/v1alpha1), which client-java does not model: the fields of KEDA 2.x's
 * CRD, read strictly as {@link ScaledObject} is (an unknown field fails), and each secretTargetRef must name
 * its parameter, Secret and key.
 */
record TriggerAuthentication(String apiVersion, String kind, ScaledObject.Metadata metadata, Spec spec) {

    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    record Spec(Map<String, Object> podIdentity, List<SecretTargetRef> secretTargetRef, List<Map<String, Object>> env,
                List<Map<String, Object>> configMapTargetRef, Map<String, Object> hashiCorpVault,
                Map<String, Object> azureKeyVault, Map<String, Object> gcpSecretManager,
                Map<String, Object> awsSecretManager, List<Map<String, Object>> boundServiceAccountToken) {
    }

    record SecretTargetRef(String parameter, String name, String key) {
    }

    static TriggerAuthentication parse(String json) {
        TriggerAuthentication authentication;
        try {
            authentication = STRICT.readValue(json, TriggerAuthentication.class);
        } catch (Exception e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (authentication.spec == null) {
            throw new IllegalArgumentException("spec is required");
        }
        if (authentication.spec.secretTargetRef != null) {
            for (SecretTargetRef ref : authentication.spec.secretTargetRef) {
                if (ref.parameter == null || ref.name == null || ref.key == null) {
                    throw new IllegalArgumentException("a secretTargetRef needs parameter, name and key: " + ref);
                }
            }
        }
        return authentication;
    }
}
