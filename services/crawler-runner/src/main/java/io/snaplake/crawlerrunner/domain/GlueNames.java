package io.snaplake.crawlerrunner.domain;

import java.util.Locale;

/**
 * Glue names: lower case (Glue lower-cases names anyway), letters, digits and underscores only (what Athena
 * reads without quoting), at most 255 characters. Any other character becomes an underscore; two source names
 * that become one Glue name are a collision the registrar reports, never merges.
 */
public final class GlueNames {

    public static final int MAX_LENGTH = 255;

    private GlueNames() {
    }

    public static String sanitize(String name) {
        String glue = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        if (glue.isEmpty() || glue.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("'" + name + "' cannot be a Glue name (1 to " + MAX_LENGTH + " characters)");
        }
        return glue;
    }

    /**
     * The database of a cluster, from a template with {@code {cluster}}, e.g. {@code snaplake_{cluster}}.
     */
    public static String database(String template, String cluster) {
        return sanitize(template.replace("{cluster}", cluster));
    }

    /** The table of a lake folder: {@code <source database>_<table folder>}, e.g. {@code ordersdb_public_orders}. */
    public static String table(String sourceDatabase, String tableFolder) {
        return sanitize(sourceDatabase + "_" + tableFolder);
    }
}
