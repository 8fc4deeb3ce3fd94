package io.snaplake.rdsexportwriter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON files at an export's root, in the shapes AWS writes: {@code export_info_<id>.json} (the
 * task, as DescribeExportTasks describes it) and {@code export_tables_info_<id>_from_N_to_M.json}
 * ({@code perTableStatus[]}: target, status, sizeGB, schemaMetadata.originalTypeMappings; entries for
 * skipped databases carry a warningMessage).
 */
final class ExportJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ExportJson() {
    }

    record InfoFile(String name, String json) {
    }

    static String exportInfo(ExportSpec spec) {
        ObjectNode info = JSON.createObjectNode()
                .put("exportTaskIdentifier", spec.exportTaskId())
                .put("sourceArn", spec.sourceArn())
                .put("snapshotTime", spec.snapshotTime().toString())
                .put("taskStartTime", spec.snapshotTime().plusSeconds(600).toString())
                .put("taskEndTime", spec.snapshotTime().plusSeconds(3600).toString())
                .put("s3Bucket", spec.bucket())
                .put("s3Prefix", spec.s3Prefix())
                .put("exportedFilesPath", spec.root().replaceAll("/$", ""))
                .put("status", "COMPLETE")
                .put("percentProgress", 100)
                .put("totalExtractedDataInGB", 0);
        info.putArray("exportOnly");
        if (!spec.skippedDatabases().isEmpty()) {
            info.put("warningMessage", spec.skippedDatabases().size() + " database(s) were skipped; see export_tables_info");
        }
        return write(info);
    }

    /** perTableStatus entries, split into files of {@code tablesPerInfoFile} entries each, named by their 1-based range. */
    static List<InfoFile> tablesInfo(ExportSpec spec) {
        List<ObjectNode> entries = new ArrayList<>();
        for (TableSpec table : spec.tables()) {
            entries.add(tableStatus(table));
        }
        for (SkippedDatabase skipped : spec.skippedDatabases()) {
            entries.add(JSON.createObjectNode()
                    .put("target", skipped.database())
                    .put("status", "SKIPPED")
                    .put("warningMessage", skipped.warningMessage()));
        }
        List<InfoFile> files = new ArrayList<>();
        for (int from = 0; from < entries.size(); from += spec.tablesPerInfoFile()) {
            int to = Math.min(entries.size(), from + spec.tablesPerInfoFile());
            ObjectNode file = JSON.createObjectNode();
            file.putArray("perTableStatus").addAll(entries.subList(from, to));
            files.add(new InfoFile("export_tables_info_%s_from_%d_to_%d.json".formatted(spec.exportTaskId(), from + 1, to),
                    write(file)));
        }
        return files;
    }

    private static ObjectNode tableStatus(TableSpec table) {
        ObjectNode status = JSON.createObjectNode()
                .put("TotalExtractedDataInGB", 0)
                .put("status", table.status())
                .put("sizeGB", table.files() * 0.001)
                .put("target", table.target());
        if (table.warningMessage() != null) {
            status.put("warningMessage", table.warningMessage());
        }
        ArrayNode mappings = status.putObject("schemaMetadata").putArray("originalTypeMappings");
        for (RdsColumn column : table.columns()) {
            mappings.addObject()
                    .put("columnName", column.name())
                    .put("originalType", column.originalType())
                    .put("expectedExportedType", column.expectedExportedType());
        }
        return status;
    }

    private static String write(ObjectNode node) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write export JSON", e);
        }
    }
}
