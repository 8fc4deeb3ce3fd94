package io.snaplake.cli.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The file {@code ./snaplake up} writes while the local stack runs ({@value #PATH}): its endpoints as
 * {@code NAME=value} lines, under the environment variables' names. An operator command takes a setting
 * from its option, else the environment, else this file, else a default ({@link #resolve}).
 */
public final class UpEnvFile {

    /** Written by {@code ./snaplake up} while the local stack runs; removed when it stops. */
    public static final String PATH = "target/snaplake-up.env";

    private UpEnvFile() {
    }

    /** The option when given, else the variable from the environment, else from this file, else {@code fallback}. */
    public static String resolve(String option, String variable, String fallback) {
        if (option != null && !option.isBlank()) {
            return option;
        }
        String fromEnvironment = System.getenv(variable);
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment;
        }
        return read(Path.of(PATH)).getOrDefault(variable, fallback);
    }

    /** The {@code NAME=value} lines of {@code file}; empty when it does not exist (the stack is not running). */
    public static Map<String, String> read(Path file) {
        Map<String, String> values = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            return values;
        }
        try {
            for (String line : Files.readAllLines(file)) {
                int equals = line.indexOf('=');
                if (equals > 0 && !line.startsWith("#")) {
                    values.put(line.substring(0, equals).trim(), line.substring(equals + 1).trim());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return values;
    }

    /** Writes {@code values} to {@code file}, for the operator commands to find. */
    public static void write(Path file, Map<String, String> values) throws IOException {
        StringBuilder text = new StringBuilder("# written by ./snaplake up while it runs; the operator commands read it\n");
        values.forEach((name, value) -> text.append(name).append('=').append(value).append('\n'));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, text);
    }
}
