package io.snaplake.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the Python interpreter that has moto installed, and unpacks snaplake's moto front for it.
 *
 * <p>Candidates, in order: the interpreter named by {@code moto_server}'s own {@code #!} line (pip
 * writes it), {@code python3} beside {@code moto_server} (pyenv's shims are shell scripts, with their
 * {@code python3} next to them), then {@code python3} on the PATH. The first that imports moto wins.
 */
final class PythonWithMoto {

    private static final String FRONT_RESOURCE = "moto_front.py";

    /** Guarded by the class. */
    private static Path unpackedFront;

    private PythonWithMoto() {
    }

    static Optional<String> find(Optional<Path> motoServer) {
        Set<String> candidates = new LinkedHashSet<>();
        motoServer.ifPresent(script -> {
            shebangInterpreter(script).ifPresent(candidates::add);
            Path sibling = script.resolveSibling("python3");
            if (Files.isExecutable(sibling)) {
                candidates.add(sibling.toString());
            }
        });
        candidates.add("python3");
        return candidates.stream().filter(PythonWithMoto::importsMoto).findFirst();
    }

    /** moto_front.py, unpacked once per JVM into a temporary file. */
    static synchronized Path frontScript() {
        if (unpackedFront == null) {
            unpackedFront = unpackFront();
        }
        return unpackedFront;
    }

    private static Path unpackFront() {
        try (InputStream script = PythonWithMoto.class.getResourceAsStream(FRONT_RESOURCE)) {
            if (script == null) {
                throw new LocalInfraException(FRONT_RESOURCE + " is missing from the test-kit jar");
            }
            Path file = Files.createTempFile("snaplake-moto-front-", ".py");
            file.toFile().deleteOnExit();
            Files.copy(script, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new LocalInfraException("Could not unpack " + FRONT_RESOURCE + ": " + e.getMessage(), e);
        }
    }

    /** {@code #!/path/to/python} (pip's console scripts); a shell script's {@code #!} names no Python. */
    static Optional<String> shebangInterpreter(Path script) {
        try (BufferedReader reader = Files.newBufferedReader(script, StandardCharsets.ISO_8859_1)) {
            String first = reader.readLine();
            if (first == null || !first.startsWith("#!")) {
                return Optional.empty();
            }
            List<String> words = new ArrayList<>(List.of(first.substring(2).trim().split("\\s+")));
            if (words.size() > 1 && words.get(0).endsWith("/env")) {
                words.remove(0);
            }
            String interpreter = words.get(0);
            return Path.of(interpreter).getFileName().toString().startsWith("python") ? Optional.of(interpreter) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static boolean importsMoto(String python) {
        try {
            return ChildProcess.builder("python-imports-moto", List.of(python, "-c", "import moto.server"))
                    .run(Duration.ofSeconds(60)).exitCode() == 0;
        } catch (LocalInfraException notThisPython) {
            return false;
        }
    }
}
