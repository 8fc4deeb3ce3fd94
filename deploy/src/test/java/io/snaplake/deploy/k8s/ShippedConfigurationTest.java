package io.snaplake.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.snaplake.deploy.Repository;
import io.snaplake.deploy.aws.SnaplakeTemplate;
import io.snaplake.sharing.domain.InvalidPolicyException;
import io.snaplake.sharing.domain.PolicyLoader;
import io.snaplake.sharing.domain.SharingPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The settings the repository ships agree with each other: the sharing policies load as the lf-sharer loads
 * them, and every cluster is catalogued in a Glue database that the policy names and that the crawler-runner's
 * role in aws/snaplake.yaml may write (its Glue statements cover {@code ${GlueDatabasePrefix}*} only).
 */
class ShippedConfigurationTest {

    private static final Path REPO = Repository.root();

    private static RenderedManifests production;
    private static String gluePrefix;

    @BeforeAll
    static void render() throws Exception {
        production = RenderedManifests.render(REPO, "production");
        gluePrefix = SnaplakeTemplate.load(REPO).parameterDefault("GlueDatabasePrefix");
    }

    @Test
    void theProductionPolicy_loads_andNamesTheDatabaseEachClusterIsCataloguedIn_whichTheCrawlerRunnerMayWrite() {
        Map<String, String> settings = production.configMap("snaplake").getData();
        String template = settings.get("glue-database-template");

        for (String cluster : settings.get("clusters").split(",")) {
            assertThat(template.replace("{cluster}", cluster)).as("Glue database of cluster %s", cluster).startsWith(gluePrefix);
        }
        SharingPolicy policy = loads("k8s/base/sharing-policy.yaml",
                production.configMap("snaplake-sharing-policy").getData().get("sharing-policy.yaml"));
        policy.clusters().forEach((cluster, shared) ->
                assertThat(shared.glueDatabase()).as("glue-database of %s", cluster).isEqualTo(template.replace("{cluster}", cluster)));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theComposePolicy_loads_andNamesTheDatabaseTheComposeCrawlerRunnerCataloguesIn() throws Exception {
        Map<String, Object> compose = new Yaml().load(Files.readString(REPO.resolve("docker-compose.yml")));
        Map<String, Object> crawler = (Map<String, Object>) ((Map<String, Object>) compose.get("services")).get("crawler-runner");
        String template = String.valueOf(((Map<String, Object>) crawler.get("environment")).get("SNAPLAKE_CRAWLER_DATABASETEMPLATE"));

        SharingPolicy policy = loads("compose/sharing-policy.yaml", Files.readString(REPO.resolve("compose/sharing-policy.yaml")));
        policy.clusters().forEach((cluster, shared) -> {
            assertThat(shared.glueDatabase()).as("glue-database of %s", cluster).isEqualTo(template.replace("{cluster}", cluster));
            assertThat(shared.glueDatabase()).startsWith(gluePrefix);
        });
    }

    private static SharingPolicy loads(String file, String yaml) {
        SharingPolicy policy;
        try {
            policy = PolicyLoader.parse(file, yaml);
        } catch (InvalidPolicyException e) {
            throw new AssertionError("the lf-sharer refuses " + file + ": " + e.getMessage(), e);
        }
        assertThat(policy.clusters()).as("clusters %s shares", file).isNotEmpty();
        return policy;
    }
}
