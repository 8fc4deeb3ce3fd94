package io.snaplake.deploy.compose;

import static org.assertj.core.api.Assertions.assertThat;

import io.snaplake.deploy.Repository;
import io.snaplake.pipeline.Stage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml as Debian's compose implementation (docker-compose 1.29, installed by .ci/run) reads it:
 * it parses, and it runs every stage beside the backends, the lf-sharer with a sharing policy that exists
 * in the repository. No Docker engine here: the stack itself is not started.
 */
class DockerComposeTest {

    private static final Path REPO = Repository.root();

    @Test
    void parses_andRunsEveryStage_withItsInitAndBackends() throws Exception {
        List<String> services = run("docker-compose", "-f", "docker-compose.yml", "config", "--services");

        assertThat(services).contains("kafka", "schema-registry", "moto", "aws-init", "topics")
                .containsAll(Arrays.stream(Stage.values()).map(Stage::serviceName).toList());
        String config = String.join("\n", run("docker-compose", "-f", "docker-compose.yml", "config"));
        assertThat(config).contains("/compose/sharing-policy.yaml:/etc/snaplake/sharing-policy.yaml:ro");
        assertThat(REPO.resolve("compose/sharing-policy.yaml")).isRegularFile();
    }

    private static List<String> run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(REPO.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as(String.join(" ", command) + " finished").isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + ":\n" + output).isZero();
        return output.lines().toList();
    }
}
