package io.snaplake.deploy.aws;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

/** aws/snaplake.yaml created as a CloudFormation stack (on moto), with what it created. */
record DeployedStack(String name, String status, Map<String, String> physicalIds, Map<String, String> types) {

    static final String REGION = "us-east-1";
    static final String ACCOUNT = "123456789012";
    static final List<String> SOURCES = List.of("orders", "billing");

    static DeployedStack create(URI endpoint, AwsBasicCredentials credentials, SnaplakeTemplate template,
                                String name, Map<String, String> parameters) {
        AwsApi cloudFormation = new AwsApi(endpoint, REGION, credentials);
        Map<String, String> request = new LinkedHashMap<>();
        request.put("StackName", name);
        request.put("TemplateBody", template.forMoto(List.of(parameters.getOrDefault("SnapshotSources",
                String.join(",", SOURCES)).split(","))));
        request.put("Capabilities.member.1", "CAPABILITY_NAMED_IAM");
        int i = 1;
        for (Map.Entry<String, String> parameter : parameters.entrySet()) {
            request.put("Parameters.member." + i + ".ParameterKey", parameter.getKey());
            request.put("Parameters.member." + i + ".ParameterValue", parameter.getValue());
            i++;
        }
        cloudFormation.query("cloudformation", "CreateStack", "2010-05-15", request);

        // The stack's status is remote state: polled until it leaves *_IN_PROGRESS.
        String status = await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> AwsApi.texts(cloudFormation.query("cloudformation", "DescribeStacks", "2010-05-15",
                        Map.of("StackName", name)).getDocumentElement(), "StackStatus").get(0),
                        current -> !current.endsWith("_IN_PROGRESS"));

        Document resources = cloudFormation.query("cloudformation", "DescribeStackResources", "2010-05-15",
                Map.of("StackName", name));
        Map<String, String> physicalIds = new LinkedHashMap<>();
        Map<String, String> types = new LinkedHashMap<>();
        for (Element member : AwsApi.elements(resources, "member")) {
            String logicalId = AwsApi.text(member, "LogicalResourceId");
            String physicalId = AwsApi.text(member, "PhysicalResourceId");
            if (logicalId != null && !"None".equals(logicalId) && physicalId != null && !"None".equals(physicalId)) {
                physicalIds.put(logicalId, physicalId);
                types.put(logicalId, AwsApi.text(member, "ResourceType"));
            }
        }
        return new DeployedStack(name, status, physicalIds, types);
    }
}
