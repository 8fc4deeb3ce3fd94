package io.snaplake.rdsexportwriter;

import java.util.List;

/** What {@link ExportWriter} wrote: every object, with its size. */
public record WrittenExport(String bucket, String root, List<WrittenObject> objects) {

    public WrittenExport {
        objects = List.copyOf(objects);
    }

    /** The part files ({@code *.gz.parquet}) only. */
    public List<WrittenObject> partFiles() {
        return objects.stream().filter(object -> object.key().endsWith(".gz.parquet")).toList();
    }

    public record WrittenObject(String key, long size) {
    }
}
