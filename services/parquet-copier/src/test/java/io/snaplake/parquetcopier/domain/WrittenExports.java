package io.snaplake.parquetcopier.domain;

import io.snaplake.rdsexportwriter.ExportSpec;
import io.snaplake.rdsexportwriter.ExportWriter;
import io.snaplake.rdsexportwriter.FileContent;
import io.snaplake.rdsexportwriter.TableSpec;
import io.snaplake.rdsexportwriter.WrittenExport;
import io.snaplake.rdsexportwriter.WrittenExport.WrittenObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The tests' exports (written with rds-export-writer), and what the tests expect of them, worked out
 * independently of the copier's code: a table's part files and bytes, and the lake folder its copies belong
 * in (prefix {@code raw}, day 2026-11-20).
 */
public final class WrittenExports {

    private WrittenExports() {
    }

    /** Writes an export of small part files (no prefix) with {@code tables}. */
    public static WrittenExport writeSmall(S3Client s3, String bucket, String exportTaskId, TableSpec... tables) {
        ExportSpec.Builder spec = ExportSpec.builder(bucket, exportTaskId).content(FileContent.SMALL_OBJECTS);
        for (TableSpec table : tables) {
            spec.table(table);
        }
        return new ExportWriter(s3).write(spec.build());
    }

    public static List<WrittenObject> files(WrittenExport written, String database, String table) {
        String folder = written.root() + database + "/" + table + "/";
        return written.partFiles().stream().filter(file -> file.key().startsWith(folder)).toList();
    }

    public static long bytes(WrittenExport written, String database, String table) {
        return files(written, database, table).stream().mapToLong(WrittenObject::size).sum();
    }

    /** The bytes of all the export's part files. */
    public static long bytes(WrittenExport written) {
        return written.partFiles().stream().mapToLong(WrittenObject::size).sum();
    }

    /** The export's root is {@code [<prefix>/]<export task id>/}. */
    public static String exportTaskId(WrittenExport written) {
        String[] segments = written.root().split("/");
        return segments[segments.length - 1];
    }

    /** The key prefix of a table's copies: {@code raw/<cluster>/<database>/<table, dots made underscores>/date=2026-11-20/<export task id>/}. */
    public static String lakeFolder(WrittenExport written, String cluster, String database, String table) {
        return "raw/" + cluster + "/" + database + "/" + table.replace('.', '_') + "/date=2026-11-20/" + exportTaskId(written) + "/";
    }

    public static String lakeLocation(WrittenExport written, String lakeBucket, String cluster, String database, String table) {
        return "s3://" + lakeBucket + "/" + lakeFolder(written, cluster, database, table);
    }

    /** Where each part file's copy belongs in the lake (its batch folders folded into its name), with its size. */
    public static Map<String, Long> lakeKeys(WrittenExport written, String cluster) {
        Map<String, Long> keys = new LinkedHashMap<>();
        for (WrittenObject file : written.partFiles()) {
            String[] parts = file.key().substring(written.root().length()).split("/", 3);
            keys.put(lakeFolder(written, cluster, parts[0], parts[1]) + parts[2].replace('/', '_'), file.size());
        }
        return keys;
    }
}
