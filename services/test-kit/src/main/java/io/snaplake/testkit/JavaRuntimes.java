package io.snaplake.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Finds a Java runtime for a child process: this JVM's own, or one of at least a given feature version (the
 * project itself builds on 17, but Apicurio Registry 3 needs 21 or newer). Looks at JAVA_HOME, the running JVM, then
 * the system's JVM folders, reading each installation's {@code release} file.
 */
public final class JavaRuntimes {

    private static final List<Path> JVM_FOLDERS = List.of(
            Paths.get("/usr/lib/jvm"),
            Paths.get("/usr/java"),
            Paths.get("/opt/java"),
            Paths.get("/Library/Java/JavaVirtualMachines"),
            Paths.get(System.getProperty("user.home"), ".sdkman", "candidates", "java"));

    private JavaRuntimes() {
    }

    /** The {@code java} executable of the runtime this JVM runs on: for a child JVM like this one. */
    public static Path current() {
        return ProcessHandle.current().info().command().map(Paths::get)
                .orElseGet(() -> executableIn(Paths.get(System.getProperty("java.home"))));
    }

    /** The {@code java} executable of a runtime with feature version {@code minimumFeature} or newer. */
    static Path javaExecutable(int minimumFeature) {
        List<Path> candidates = new ArrayList<>();
        Optional.ofNullable(System.getenv("JAVA_HOME")).filter(s -> !s.isBlank()).map(Paths::get).ifPresent(candidates::add);
        candidates.add(Paths.get(System.getProperty("java.home")));
        Optional<Path> preferred = candidates.stream().filter(home -> featureVersion(home) >= minimumFeature).findFirst();
        Path home = preferred.orElseGet(() -> newestInstalled(minimumFeature).orElseThrow(() -> new LocalInfraException(
                "No Java " + minimumFeature + "+ runtime found (looked at JAVA_HOME, " + System.getProperty("java.home")
                        + " and " + JVM_FOLDERS + "). Install one or point JAVA_HOME at it.")));
        return executableIn(home);
    }

    private static Optional<Path> newestInstalled(int minimumFeature) {
        return JVM_FOLDERS.stream()
                .filter(Files::isDirectory)
                .flatMap(JavaRuntimes::children)
                .map(JavaRuntimes::macOsHome)
                .filter(home -> featureVersion(home) >= minimumFeature)
                .max(Comparator.comparingInt(JavaRuntimes::featureVersion));
    }

    private static Stream<Path> children(Path folder) {
        try (Stream<Path> list = Files.list(folder)) {
            return list.sorted().toList().stream();
        } catch (IOException e) {
            return Stream.empty();
        }
    }

    private static Path macOsHome(Path candidate) {
        Path contentsHome = candidate.resolve("Contents").resolve("Home");
        return Files.isDirectory(contentsHome) ? contentsHome : candidate;
    }

    /** The feature version in the runtime's {@code release} file (JAVA_VERSION="25.0.1" -> 25), or 0. */
    static int featureVersion(Path home) {
        Path release = home.resolve("release");
        if (!Files.isRegularFile(release) || !Files.isRegularFile(executableIn(home))) {
            return 0;
        }
        try (var reader = Files.newBufferedReader(release)) {
            Properties properties = new Properties();
            properties.load(reader);
            String version = properties.getProperty("JAVA_VERSION", "").replace("\"", "").trim();
            String feature = version.startsWith("1.") ? version.substring(2) : version;
            int end = 0;
            while (end < feature.length() && Character.isDigit(feature.charAt(end))) {
                end++;
            }
            return end == 0 ? 0 : Integer.parseInt(feature.substring(0, end));
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    private static Path executableIn(Path home) {
        boolean windows = System.getProperty("os.name", "").toLowerCase().startsWith("windows");
        return home.resolve("bin").resolve(windows ? "java.exe" : "java");
    }
}
