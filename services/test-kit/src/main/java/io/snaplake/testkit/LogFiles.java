package io.snaplake.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Where child processes write their output: {@code target/test-kit/} when run from a Maven module
 * (so a failed build keeps the logs beside the test reports), otherwise a temporary directory.
 */
final class LogFiles {

    private LogFiles() {
    }

    static Path create(String name) {
        try {
            Path target = Paths.get("target");
            Path directory = Files.isDirectory(target)
                    ? Files.createDirectories(target.resolve("test-kit"))
                    : Files.createTempDirectory("snaplake-test-kit-");
            return Files.createTempFile(directory, name + "-", ".log");
        } catch (IOException e) {
            throw new LocalInfraException("Could not create a log file for " + name, e);
        }
    }
}
