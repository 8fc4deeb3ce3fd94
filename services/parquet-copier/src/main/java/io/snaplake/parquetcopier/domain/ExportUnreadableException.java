package io.snaplake.parquetcopier.domain;

/** The export's own description (export_tables_info) is missing or unreadable: nothing can be copied safely. */
public class ExportUnreadableException extends RuntimeException {

    public ExportUnreadableException(String message) {
        super(message);
    }
}
