package io.snaplake.rdsexportwriter;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What an RDS snapshot export wrote, described so that {@link ExportWriter} can write it:
 * {@code s3://<bucket>/<s3Prefix>/<exportTaskId>/<db>/<schema.table>/...} plus the export's JSON files.
 */
public record ExportSpec(String bucket, String s3Prefix, String exportTaskId, String sourceArn, Instant snapshotTime,
        List<TableSpec> tables, List<SkippedDatabase> skippedDatabases, FileContent content, int tablesPerInfoFile) {

    public ExportSpec {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(exportTaskId, "exportTaskId");
        s3Prefix = s3Prefix == null ? "" : s3Prefix.replaceAll("^/+|/+$", "");
        tables = List.copyOf(tables);
        skippedDatabases = List.copyOf(skippedDatabases);
        if (tablesPerInfoFile < 1) {
            throw new IllegalArgumentException("tablesPerInfoFile must be >= 1");
        }
    }

    /** The export root: {@code <s3Prefix>/<exportTaskId>/} (no leading slash). */
    public String root() {
        return (s3Prefix.isEmpty() ? "" : s3Prefix + "/") + exportTaskId + "/";
    }

    public long totalFiles() {
        return tables.stream().mapToLong(TableSpec::files).sum();
    }

    public static Builder builder(String bucket, String exportTaskId) {
        return new Builder(bucket, exportTaskId);
    }

    /**
     * The demo's export: an Aurora PostgreSQL snapshot of cluster {@code orders} with several tables in
     * both naming conventions (numbered and alphanumeric batch folders, and the older flat layout), one
     * table the export did not complete, and one database skipped for lack of permissions.
     */
    public static ExportSpec sample(String bucket, String s3Prefix, String exportTaskId) {
        return builder(bucket, exportTaskId)
                .s3Prefix(s3Prefix)
                .sourceArn("arn:aws:rds:us-east-1:123456789012:cluster-snapshot:rds:orders-2026-11-20-03-10")
                .snapshotTime(Instant.parse("2026-11-20T03:10:00Z"))
                .table(TableSpec.complete("ordersdb", "public.orders", BatchLayout.NUMBERED_BATCHES, 6).withFilesPerBatch(2))
                .table(TableSpec.complete("ordersdb", "public.order_lines", BatchLayout.ALPHANUMERIC_BATCHES, 4).withFilesPerBatch(2))
                .table(TableSpec.complete("ordersdb", "public.customers", BatchLayout.FLAT, 2))
                .table(TableSpec.complete("billingdb", "public.invoices", BatchLayout.NUMBERED_BATCHES, 3))
                .table(TableSpec.failed("billingdb", "public.audit_log",
                        "Table public.audit_log was skipped: a row is close to or larger than 2 GB"))
                .skippedDatabase(new SkippedDatabase("reportingdb",
                        "Database reportingdb was skipped: the export role has no permission to read it"))
                .build();
    }

    /** A small builder: the export's tables, skipped databases, and how files are written. */
    public static final class Builder {
        private final String bucket;
        private final String exportTaskId;
        private String s3Prefix = "";
        private String sourceArn = "arn:aws:rds:us-east-1:123456789012:cluster-snapshot:manual-snapshot";
        private Instant snapshotTime = Instant.parse("2026-11-20T03:10:00Z");
        private final List<TableSpec> tables = new ArrayList<>();
        private final List<SkippedDatabase> skippedDatabases = new ArrayList<>();
        private FileContent content = FileContent.PARQUET;
        private int tablesPerInfoFile = 100;

        private Builder(String bucket, String exportTaskId) {
            this.bucket = bucket;
            this.exportTaskId = exportTaskId;
        }

        public Builder s3Prefix(String prefix) {
            this.s3Prefix = prefix;
            return this;
        }

        public Builder sourceArn(String arn) {
            this.sourceArn = arn;
            return this;
        }

        public Builder snapshotTime(Instant time) {
            this.snapshotTime = time;
            return this;
        }

        public Builder table(TableSpec table) {
            tables.add(table);
            return this;
        }

        public Builder skippedDatabase(SkippedDatabase database) {
            skippedDatabases.add(database);
            return this;
        }

        public Builder content(FileContent fileContent) {
            this.content = fileContent;
            return this;
        }

        /** How many perTableStatus entries per export_tables_info file (AWS splits large exports into several). */
        public Builder tablesPerInfoFile(int count) {
            this.tablesPerInfoFile = count;
            return this;
        }

        public ExportSpec build() {
            return new ExportSpec(bucket, s3Prefix, exportTaskId, sourceArn, snapshotTime, tables, skippedDatabases,
                    content, tablesPerInfoFile);
        }
    }
}
