package io.snaplake.schemas;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/**
 * Keeps the event contracts evolvable: every current schema must be able to read data written with
 * every released version of it (BACKWARD, checked transitively, as the registry's BACKWARD_TRANSITIVE).
 *
 * <p>Released versions live in {@code history/<full name>/v<N>.avsc}, written by {@code record}
 * when a schema change is released. Run as {@code check <historyDir>} by the build (it fails the
 * build) or {@code record <historyDir>} to record the current schemas as new versions.
 */
public final class SchemaCompatibilityCheck {

    private static final Pattern VERSION_FILE = Pattern.compile("v(\\d+)\\.avsc");

    private final Path historyDir;

    public SchemaCompatibilityCheck(Path historyDir) {
        this.historyDir = historyDir;
    }

    public static void main(String[] args) {
        if (args.length != 2 || !List.of("check", "record").contains(args[0])) {
            throw new IllegalArgumentException("usage: SchemaCompatibilityCheck check|record <historyDir>");
        }
        SchemaCompatibilityCheck check = new SchemaCompatibilityCheck(Path.of(args[1]));
        if (args[0].equals("record")) {
            EventSchemas.ALL.forEach(schema -> System.out.println(check.record(schema)));
            return;
        }
        List<String> problems = new ArrayList<>();
        EventSchemas.ALL.forEach(schema -> problems.addAll(check.problems(schema)));
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Schema compatibility check failed:\n  " + String.join("\n  ", problems));
        }
        if (Boolean.getBoolean("snaplake.quiet-build")) {
            return;
        }
        System.out.println("Schema compatibility: " + EventSchemas.ALL.size()
                + " event schemas are BACKWARD compatible with every recorded version");
    }

    /** Reasons why {@code current} cannot replace its recorded versions; empty when it can. */
    public List<String> problems(Schema current) {
        List<Path> versions = recordedVersions(current.getFullName());
        if (versions.isEmpty()) {
            return List.of(current.getFullName() + ": no recorded version in " + historyDir.resolve(current.getFullName())
                    + " (record the first release with: SchemaCompatibilityCheck record)");
        }
        List<String> problems = new ArrayList<>();
        for (Path version : versions) {
            Schema released = parse(version);
            SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(current, released);
            if (result.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
                result.getResult().getIncompatibilities().forEach(incompatibility -> problems.add(String.format(
                        "%s is not BACKWARD compatible with %s: %s at %s",
                        current.getFullName(), historyDir.relativize(version), incompatibility.getMessage(),
                        incompatibility.getLocation())));
            }
        }
        return problems;
    }

    /** Records {@code current} as the next version unless it equals the latest one; returns what it did. */
    public String record(Schema current) {
        List<String> problems = problems(current);
        List<Path> versions = recordedVersions(current.getFullName());
        if (!versions.isEmpty() && !problems.isEmpty()) {
            throw new IllegalStateException(String.join("\n", problems));
        }
        if (!versions.isEmpty() && parse(versions.get(versions.size() - 1)).equals(current)) {
            return current.getFullName() + ": unchanged since " + versions.get(versions.size() - 1).getFileName();
        }
        Path next = historyDir.resolve(current.getFullName()).resolve("v" + (versions.size() + 1) + ".avsc");
        try {
            Files.createDirectories(next.getParent());
            Files.writeString(next, current.toString(true) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return current.getFullName() + ": recorded " + historyDir.relativize(next);
    }

    private List<Path> recordedVersions(String fullName) {
        Path dir = historyDir.resolve(fullName);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(file -> VERSION_FILE.matcher(file.getFileName().toString()).matches())
                    .sorted(Comparator.comparingInt(SchemaCompatibilityCheck::versionNumber))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int versionNumber(Path file) {
        Matcher matcher = VERSION_FILE.matcher(file.getFileName().toString());
        matcher.matches();
        return Integer.parseInt(matcher.group(1));
    }

    private static Schema parse(Path file) {
        try {
            return new Schema.Parser().parse(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read recorded schema " + file, e);
        }
    }
}
