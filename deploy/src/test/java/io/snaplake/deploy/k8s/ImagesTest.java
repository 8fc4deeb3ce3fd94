package io.snaplake.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.snaplake.deploy.Repository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every image the Kubernetes manifests run is one the build produces: {@code snaplake/<module>} is built by
 * the module of that name (Jib, switched on with {@code snaplake.image.skip=false}), and that module ships
 * neither the test kit nor the export writer.
 */
class ImagesTest {

    private static final Path REPO = Repository.root();
    private static final String PREFIX = "snaplake/";

    @Test
    void everyImageTheManifestsRun_isBuiltByTheModuleOfItsName_withoutTheTestKit() throws Exception {
        Set<String> images = new TreeSet<>();
        RenderedManifests local = RenderedManifests.render(REPO, "local");
        Stream.concat(local.deployments().stream().map(d -> d.getSpec().getTemplate().getSpec()),
                        local.jobs().stream().map(j -> j.getSpec().getTemplate().getSpec()))
                .flatMap(ImagesTest::containers).forEach(container -> images.add(container.getImage()));

        assertThat(images).isNotEmpty().allSatisfy(image -> assertThat(image).startsWith(PREFIX));
        for (String image : images) {
            String module = image.substring(PREFIX.length(), image.indexOf(':'));
            Path pom = REPO.resolve("services").resolve(module).resolve("pom.xml");
            assertThat(pom).as("the module that builds %s", image).isRegularFile();
            String text = Files.readString(pom);
            assertThat(text).as("%s turns its image on", pom)
                    .contains("<snaplake.image.skip>false</snaplake.image.skip>")
                    .contains("<artifactId>jib-maven-plugin</artifactId>");
            assertThat(compileScopeDependencies(text)).as("what %s ships", image)
                    .doesNotContain("test-kit", "rds-export-writer");
        }
        assertThat(images).hasSize(6);
    }

    private static Stream<V1Container> containers(V1PodSpec pod) {
        List<V1Container> all = new ArrayList<>(pod.getContainers());
        if (pod.getInitContainers() != null) {
            all.addAll(pod.getInitContainers());
        }
        return all.stream();
    }

    /** The artifactIds of the pom's dependencies that are not test-scoped. */
    private static List<String> compileScopeDependencies(String pom) {
        List<String> artifacts = new ArrayList<>();
        for (String dependency : pom.split("<dependency>")) {
            int end = dependency.indexOf("</dependency>");
            if (end < 0) {
                continue;
            }
            String body = dependency.substring(0, end);
            if (!body.contains("<scope>test</scope>")) {
                artifacts.add(body.replaceAll("(?s).*<artifactId>([^<]+)</artifactId>.*", "$1"));
            }
        }
        return artifacts;
    }
}
