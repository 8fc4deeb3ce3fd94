package io.snaplake.serde;

/** A record shorter than the 5-byte header, or whose Avro body ends before the record does. */
public class TruncatedRecordException extends AvroSerdeException {

    public TruncatedRecordException(String message) {
        super(message);
    }

    public TruncatedRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
