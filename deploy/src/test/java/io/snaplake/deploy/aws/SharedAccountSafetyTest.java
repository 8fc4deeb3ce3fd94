package io.snaplake.deploy.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.snaplake.deploy.Repository;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What aws/snaplake.yaml may do in an account it shares with others: keep the data, hand roles only to their service. */
class SharedAccountSafetyTest {

    private static final SnaplakeTemplate TEMPLATE = SnaplakeTemplate.load(Repository.root());

    @Test
    void theBucketsAndTheirKey_areRetained_whenTheStackIsDeletedOrReplaced() {
        TEMPLATE.resources().forEach((logicalId, resource) -> {
            if (List.of("AWS::S3::Bucket", "AWS::KMS::Key").contains(resource.get("Type"))) {
                assertThat(resource).as(logicalId).containsEntry("DeletionPolicy", "Retain").containsEntry("UpdateReplacePolicy", "Retain");
            }
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void lakeFormationsRegisteredRole_mayUseTheLakesKey() {
        assertThat((Map<String, Object>) TEMPLATE.properties("LakeLocation")).containsEntry("UseServiceLinkedRole", true);
        List<Map<String, Object>> statements = (List<Map<String, Object>>) ((Map<String, Object>) TEMPLATE.properties("DataKey")
                .get("KeyPolicy")).get("Statement");
        assertThat(statements).anySatisfy(statement -> {
            assertThat(String.valueOf(statement.get("Principal")))
                    .contains("aws-service-role/lakeformation.amazonaws.com/AWSServiceRoleForLakeFormationDataAccess");
            assertThat((List<String>) statement.get("Action")).contains("kms:Decrypt");
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyPassRole_namesTheServiceTheRoleIsPassedTo() {
        int passRoles = 0;
        for (Map.Entry<String, Map<String, Object>> resource : TEMPLATE.resources().entrySet()) {
            if (!"AWS::IAM::Role".equals(resource.getValue().get("Type"))) {
                continue;
            }
            List<Map<String, Object>> policies = (List<Map<String, Object>>) TEMPLATE.properties(resource.getKey()).get("Policies");
            for (Map<String, Object> policy : policies == null ? List.<Map<String, Object>>of() : policies) {
                for (Map<String, Object> statement : (List<Map<String, Object>>) ((Map<String, Object>) policy.get("PolicyDocument")).get("Statement")) {
                    if (String.valueOf(statement.get("Action")).contains("iam:PassRole")) {
                        passRoles++;
                        assertThat(statement).as("%s %s", resource.getKey(), statement.get("Sid")).containsKey("Condition");
                        Map<String, Map<String, Object>> condition = (Map<String, Map<String, Object>>) statement.get("Condition");
                        assertThat(condition.get("StringEquals")).as("%s %s", resource.getKey(), statement.get("Sid"))
                                .containsKey("iam:PassedToService");
                    }
                }
            }
        }
        assertThat(passRoles).isEqualTo(2);
    }
}
