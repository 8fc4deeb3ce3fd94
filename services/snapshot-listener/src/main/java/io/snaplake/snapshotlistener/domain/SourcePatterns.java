package io.snaplake.snapshotlistener.domain;

import java.util.List;
import java.util.Locale;

/**
 * Which clusters (or instances) the pipeline takes: exact identifiers ({@code orders}) and prefixes
 * written with a trailing star ({@code billing-*}). RDS identifiers are case-insensitive, so is this.
 */
public final class SourcePatterns {

    private final List<String> exact;
    private final List<String> prefixes;

    private SourcePatterns(List<String> exact, List<String> prefixes) {
        this.exact = exact;
        this.prefixes = prefixes;
    }

    /**
     * @throws IllegalArgumentException for a blank entry or a star anywhere but at the end
     */
    public static SourcePatterns of(List<String> patterns) {
        List<String> cleaned = patterns.stream().map(String::strip).toList();
        for (String pattern : cleaned) {
            if (pattern.isEmpty() || pattern.equals("*") || pattern.indexOf('*') != pattern.lastIndexOf('*')
                    || (pattern.contains("*") && !pattern.endsWith("*"))) {
                throw new IllegalArgumentException("'" + pattern + "' is not an identifier or a prefix ending in *, "
                        + "e.g. orders or billing-*");
            }
        }
        return new SourcePatterns(
                cleaned.stream().filter(p -> !p.endsWith("*")).map(SourcePatterns::lower).toList(),
                cleaned.stream().filter(p -> p.endsWith("*")).map(p -> lower(p.substring(0, p.length() - 1))).toList());
    }

    public boolean matches(String sourceId) {
        String id = lower(sourceId);
        return exact.contains(id) || prefixes.stream().anyMatch(id::startsWith);
    }

    public boolean isEmpty() {
        return exact.isEmpty() && prefixes.isEmpty();
    }

    private static String lower(String value) {
        return value.toLowerCase(Locale.ROOT);
    }
}
