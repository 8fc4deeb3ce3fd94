package io.snaplake.parquetcopier.domain;

/** Where an export's files are: {@code s3://<bucket>/<prefix>/<exportTaskId>/}. */
public record ExportLocation(String bucket, String prefix, String exportTaskId) {

    public ExportLocation {
        prefix = prefix == null ? "" : prefix.replaceAll("^/+|/+$", "");
        LakeLayout.requireSafeSegment("export task id", exportTaskId);
    }

    /** The export's root key prefix, ending with a slash. */
    public String root() {
        return (prefix.isEmpty() ? "" : prefix + "/") + exportTaskId + "/";
    }

    /** The folder of one table's files: {@code <root><database>/<table>/}. */
    public String tableFolder(ExportTable table) {
        return root() + table.database() + "/" + table.table() + "/";
    }
}
