package io.snaplake.sharing.domain;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Column-name patterns that are never granted, whatever the policy says: {@code *} matches any run of
 * characters, matching ignores case (Glue stores column names in lower case).
 */
public final class SensitiveColumns {

    private final List<String> patterns;
    private final List<Pattern> compiled;

    public SensitiveColumns(List<String> patterns) {
        this.patterns = List.copyOf(patterns);
        this.compiled = this.patterns.stream().map(SensitiveColumns::compile).toList();
    }

    public List<String> patterns() {
        return patterns;
    }

    public boolean isSensitive(String column) {
        return matchingPattern(column).isPresent();
    }

    /** The first pattern {@code column} matches. */
    public Optional<String> matchingPattern(String column) {
        String name = column.toLowerCase(Locale.ROOT);
        for (int i = 0; i < compiled.size(); i++) {
            if (compiled.get(i).matcher(name).matches()) {
                return Optional.of(patterns.get(i));
            }
        }
        return Optional.empty();
    }

    private static Pattern compile(String glob) {
        return Pattern.compile(Arrays.stream(glob.toLowerCase(Locale.ROOT).split("\\*", -1))
                .map(Pattern::quote).collect(Collectors.joining(".*")));
    }

    @Override
    public String toString() {
        return patterns.toString();
    }
}
