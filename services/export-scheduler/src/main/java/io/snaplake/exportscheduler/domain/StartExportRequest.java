package io.snaplake.exportscheduler.domain;

import java.util.List;

/** What StartExportTask is called with. {@code exportOnly} empty means the whole snapshot. */
public record StartExportRequest(String exportTaskId, String sourceArn, String bucket, String prefix,
        String iamRoleArn, String kmsKeyId, List<String> exportOnly) {

    public StartExportRequest {
        exportOnly = List.copyOf(exportOnly);
    }
}
