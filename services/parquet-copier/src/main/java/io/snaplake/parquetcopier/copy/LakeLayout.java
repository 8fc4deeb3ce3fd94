package io.snaplake.parquetcopier.copy;

import java.time.LocalDate;
import java.util.Objects;

/**
 * Where an export's files go in the lake: {@code s3://<bucket>/<prefix>/<partition>/<export task id>/<file>},
 * the partition rendered from a template (default {@code {cluster}/{database}/{table}/date={date}}). Each
 * export gets its own folder under the day, so that a partition's location (the export folder, which the
 * crawler-runner registers in Glue) always holds exactly one export's files: a forced re-export, or a
 * second snapshot of the same day, is copied beside the first, then the Glue partition is switched to it
 * and the old folder removed, and no reader ever sees both sets or neither. A pure function of the
 * source key, so a re-run writes the same keys:
 * <ul>
 *   <li>{@code {table}} is the export's table name with dots made underscores ({@code public.orders} ->
 *       {@code public_orders}): Glue and Athena table names allow neither dots nor slashes;</li>
 *   <li>the batch folders between the table folder and the file are folded into the file name
 *       ({@code 1/part-00000-x.gz.parquet} -> {@code 1_part-00000-x.gz.parquet}) so that files of different
 *       batches never collide and the partition holds only data files, no sub-folders. Underscores and
 *       percent signs inside folder names are percent-encoded first, so the folding is one-to-one.</li>
 * </ul>
 * Names and keys that could escape their folder ({@code ..}, {@code .}, empty segments, absolute paths,
 * backslashes, control characters) are refused with {@link UnsafeKeyException}.
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
