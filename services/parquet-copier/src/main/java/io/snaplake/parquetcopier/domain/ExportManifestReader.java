package io.snaplake.parquetcopier.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an export's {@code export_tables_info_<id>_from_N_to_M.json} files (large exports have several)
 * into one manifest. An entry whose target has no dot is a database, not a table: the export skipped it
 * as a whole and says why in warningMessage.
 */
public final class ExportManifestReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectStore store;

    public ExportManifestReader(ObjectStore store) {
        this.store = store;
    }

    /** @throws ExportUnreadableException if the export has no tables-info file, or one cannot be parsed */
    public ExportManifest read(ExportLocation export) {
        String infoPrefix = export.root() + "export_tables_info_" + export.exportTaskId() + "_";
        List<String> infoKeys = new ArrayList<>();
        store.list(export.bucket(), infoPrefix, object -> {
            if (object.key().endsWith(".json")) {
                infoKeys.add(object.key());
            }
        });
        if (infoKeys.isEmpty()) {
            throw new ExportUnreadableException("no export_tables_info_" + export.exportTaskId()
                    + "_*.json under s3://" + export.bucket() + "/" + export.root()
                    + ": the export wrote nothing there, or the ExportCompleted event names the wrong bucket or prefix");
        }
        List<ExportTable> tables = new ArrayList<>();
        List<ExportManifest.SkippedDatabase> skipped = new ArrayList<>();
        for (String key : infoKeys) {
            byte[] json = store.read(export.bucket(), key)
                    .orElseThrow(() -> new ExportUnreadableException("s3://" + export.bucket() + "/" + key + " disappeared while reading it"));
            for (JsonNode status : parse(export.bucket(), key, json).path("perTableStatus")) {
                String target = status.path("target").asText("");
                String exportStatus = status.path("status").asText(null);
                String warning = status.hasNonNull("warningMessage") ? status.get("warningMessage").asText() : null;
                int dot = target.indexOf('.');
                if (dot < 0) {
                    skipped.add(new ExportManifest.SkippedDatabase(target, warning));
                } else {
                    tables.add(new ExportTable(target.substring(0, dot), target.substring(dot + 1), exportStatus, warning));
                }
            }
        }
        return new ExportManifest(tables, skipped);
    }

    private static JsonNode parse(String bucket, String key, byte[] json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new ExportUnreadableException("s3://" + bucket + "/" + key + " is not valid JSON: " + e.getMessage());
        }
    }
}
