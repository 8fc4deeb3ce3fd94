package io.snaplake.parquetcopier.domain;

/**
 * An ExportCompleted the copier must never act on (poison): it names a bucket outside the configured
 * allow-list, so a hostile or mistaken producer cannot have other data copied into the lake. The event
 * goes to the dead-letter topic with this message.
 */
public class RefusedExportException extends IllegalArgumentException {

    public RefusedExportException(String message) {
        super(message);
    }
}
