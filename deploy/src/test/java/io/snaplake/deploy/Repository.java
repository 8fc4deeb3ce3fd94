package io.snaplake.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's root, found from the test's working directory (the module's folder under Maven). */
public final class Repository {

    private Repository() {
    }

    public static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !(Files.isDirectory(dir.resolve("k8s")) && Files.isDirectory(dir.resolve("aws")))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no repository root (with k8s/ and aws/) above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
