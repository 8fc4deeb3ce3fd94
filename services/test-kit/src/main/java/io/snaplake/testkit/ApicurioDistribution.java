package io.snaplake.testkit;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Locates the unpacked Apicurio Registry distribution (the folder holding {@code quarkus-run.jar}).
 * In order: the system property {@value #HOME_PROPERTY} or environment variable {@value #HOME_ENV};
 * the folder test-kit's build unpacks it to ({@code services/test-kit/target/apicurio-registry-<v>},
 * seen from the project root, a service module or test-kit itself); else the tar.gz in the local
 * Maven repository, unpacked once into {@code ~/.cache/snaplake/apicurio-registry-<v>}.
 */
public final class ApicurioDistribution {

    public static final String HOME_PROPERTY = "snaplake.apicurio.home";
    public static final String HOME_ENV = "SNAPLAKE_APICURIO_HOME";
    private static final String LAUNCHER = "quarkus-run.jar";

    private ApicurioDistribution() {
    }

    /** The Apicurio Registry version this launcher was built for. */
    public static String version() {
        return TestKitSettings.built("apicurio.properties", "apicurio.version");
    }

    /** The folder that holds {@code quarkus-run.jar}; unpacks the Maven artifact if nothing else is found. */
    public static Path locate() {
        Optional<Path> configured = TestKitSettings.configured(HOME_PROPERTY, HOME_ENV).map(Paths::get);
        if (configured.isPresent()) {
            Path home = configured.get();
            if (!isDistribution(home)) {
                throw new LocalInfraException(HOME_PROPERTY + "/" + HOME_ENV + " points at " + home
                        + ", which holds no " + LAUNCHER);
            }
            return home;
        }
        return buildOutputs().stream().filter(ApicurioDistribution::isDistribution).findFirst()
                .orElseGet(ApicurioDistribution::unpackFromMavenRepository);
    }

    private static List<Path> buildOutputs() {
        String folder = "apicurio-registry-" + version();
        Path cwd = Paths.get("").toAbsolutePath();
        List<Path> candidates = new ArrayList<>();
        candidates.add(cwd.resolve("target").resolve(folder));
        for (Path dir = cwd; dir != null; dir = dir.getParent()) {
            candidates.add(dir.resolve("services/test-kit/target").resolve(folder));
            candidates.add(dir.resolve("test-kit/target").resolve(folder));
        }
        return candidates;
    }

    private static boolean isDistribution(Path home) {
        return Files.isRegularFile(home.resolve(LAUNCHER));
    }

    private static Path unpackFromMavenRepository() {
        String version = version();
        Path archive = mavenRepository().resolve("io/apicurio/apicurio-registry-app").resolve(version)
                .resolve("apicurio-registry-app-" + version + "-all.tar.gz");
        if (!Files.isRegularFile(archive)) {
            throw new LocalInfraException("Apicurio Registry " + version + " not found: set " + HOME_PROPERTY + " or "
                    + HOME_ENV + ", or build test-kit once (./mvnw -pl services/test-kit package -DskipTests), "
                    + "which downloads " + archive);
        }
        Path cache = Paths.get(System.getProperty("user.home"), ".cache", "snaplake");
        Path home = cache.resolve("apicurio-registry-" + version);
        try {
            Files.createDirectories(cache);
            // Several test JVMs may get here at once: one unpacks, the others wait and reuse.
            try (FileChannel lockFile = FileChannel.open(cache.resolve(home.getFileName() + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = lockFile.lock()) {
                if (!isDistribution(home)) {
                    untar(archive, home);
                }
            }
            return home;
        } catch (IOException e) {
            throw new LocalInfraException("Could not unpack " + archive + " into " + home, e);
        }
    }

    /** Unpacks with the system's tar (present on Linux, macOS and Windows 10+) into a folder renamed into place. */
    private static void untar(Path archive, Path home) throws IOException {
        Path partial = Files.createTempDirectory(home.getParent(), home.getFileName() + ".partial-");
        ChildProcess.Finished tar = ChildProcess.builder("tar", List.of("tar", "-xzf", archive.toString(), "-C", partial.toString()))
                .run(Duration.ofMinutes(5));
        if (tar.exitCode() != 0) {
            throw new LocalInfraException("tar could not unpack " + archive + ": " + tar.output());
        }
        deleteRecursively(home);
        Files.move(partial, home, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static Path mavenRepository() {
        return Optional.ofNullable(System.getProperty("maven.repo.local"))
                .filter(s -> !s.isBlank())
                .map(Paths::get)
                .orElse(Paths.get(System.getProperty("user.home"), ".m2", "repository"));
    }
}
