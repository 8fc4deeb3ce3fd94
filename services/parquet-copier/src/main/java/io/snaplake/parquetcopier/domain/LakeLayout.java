package io.snaplake.parquetcopier.domain;

import java.time.LocalDate;
import java.util.Objects;

/**
 * Where an export's files go in the lake: {@code s3://<bucket>/<prefix>/<partition>/<export task id>/<file>},
 * the partition rendered from a template (default {@code {cluster}/{database}/{table}/date={date}}), batch
 * folders folded into the file name. A pure function of the source key, so a re-run writes the same keys;
 * names and keys that could escape their folder are refused with {@link UnsafeKeyException}. The rules and
 * their reasons: docs/design/parquet-copier.md, "Lake layout".
 */
public record LakeLayout(String bucket, String prefix, String partitionTemplate) {

    public static final String DEFAULT_TEMPLATE = "{cluster}/{database}/{table}/date={date}";
    public static final String PARQUET_SUFFIX = ".gz.parquet";

    public LakeLayout {
        Objects.requireNonNull(bucket, "bucket");
        prefix = prefix == null ? "" : prefix.replaceAll("^/+|/+$", "");
        partitionTemplate = partitionTemplate == null || partitionTemplate.isBlank() ? DEFAULT_TEMPLATE : partitionTemplate;
        if (!partitionTemplate.contains("{table}") || !partitionTemplate.contains("{date}")) {
            throw new IllegalArgumentException("the lake partition template must contain {table} and {date}, got: " + partitionTemplate);
        }
        for (String segment : (prefix.isEmpty() ? partitionTemplate : prefix + "/" + partitionTemplate).split("/", -1)) {
            requireSafeSegment("lake prefix or template segment", segment.replaceAll("\\{[a-z]+}", "x"));
        }
    }

    public static LakeLayout of(String bucket, String prefix) {
        return new LakeLayout(bucket, prefix, DEFAULT_TEMPLATE);
    }

    /** The key prefix (ending with a slash) of one table's date partition. */
    public String partitionPrefix(String cluster, ExportTable table, LocalDate date) {
        String rendered = partitionTemplate
                .replace("{cluster}", requireSafeSegment("cluster", cluster))
                .replace("{database}", requireSafeSegment("database", table.database()))
                .replace("{table}", requireSafeSegment("table", table.table()).replace('.', '_'))
                .replace("{date}", date.toString());
        return (prefix.isEmpty() ? "" : prefix + "/") + rendered + "/";
    }

    /**
     * The key prefix (ending with a slash) of one export's files in a table's date partition: the
     * location the day's Glue partition points at.
     */
    public String exportPrefix(String cluster, ExportTable table, LocalDate date, String exportTaskId) {
        return partitionPrefix(cluster, table, date) + requireSafeSegment("export task id", exportTaskId) + "/";
    }

    /** The s3:// location of a partition, as events report it. */
    public String location(String partitionPrefix) {
        return "s3://" + bucket + "/" + partitionPrefix;
    }

    /**
     * The lake key of the file at {@code relativePath} below its table folder in the export.
     *
     * @throws UnsafeKeyException if the path could escape the partition, or is not a Parquet part file
     */
    public String targetKey(String partitionPrefix, String relativePath) {
        return partitionPrefix + fileName(relativePath);
    }

    static String fileName(String relativePath) {
        if (relativePath.isEmpty() || relativePath.startsWith("/")) {
            throw new UnsafeKeyException("refused source key part '" + relativePath + "': empty or absolute path below the table folder");
        }
        String[] segments = relativePath.split("/", -1);
        StringBuilder name = new StringBuilder();
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            try {
                requireSafeSegment("path segment", segment);
            } catch (UnsafeKeyException e) {
                throw new UnsafeKeyException("refused source key part '" + relativePath + "': it would escape the table path ("
                        + e.getMessage() + ")");
            }
            boolean last = i == segments.length - 1;
            name.append(last ? segment : segment.replace("%", "%25").replace("_", "%5F") + "_");
        }
        if (!relativePath.endsWith(PARQUET_SUFFIX)) {
            throw new UnsafeKeyException("refused source key part '" + relativePath + "': only *" + PARQUET_SUFFIX + " files go to the lake");
        }
        return name.toString();
    }

    /** A name used as one key segment: non-empty, not {@code .} or {@code ..}, no slash, backslash or control character. */
    static String requireSafeSegment(String what, String value) {
        if (value == null || value.isEmpty()) {
            throw new UnsafeKeyException(what + " is empty");
        }
        if (value.equals(".") || value.equals("..")) {
            throw new UnsafeKeyException(what + " '" + value + "' is a relative path segment");
        }
        if (value.indexOf('/') >= 0 || value.indexOf('\\') >= 0 || value.chars().anyMatch(Character::isISOControl)) {
            throw new UnsafeKeyException(what + " '" + value.replaceAll("\\p{Cntrl}", "?") + "' contains a slash, backslash or control character");
        }
        return value;
    }
}
