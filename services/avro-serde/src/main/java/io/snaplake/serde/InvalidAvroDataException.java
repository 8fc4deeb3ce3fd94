package io.snaplake.serde;

/** The bytes after the header are not Avro binary of the schema the header names. */
public class InvalidAvroDataException extends AvroSerdeException {

    public InvalidAvroDataException(String message) {
        super(message);
    }

    public InvalidAvroDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
