package io.snaplake.serde;

/**
 * The schema registry answered with an error, or could not be reached at any configured URL. Carries
 * the HTTP status and the registry's Confluent error code (e.g. 40401 subject not found, 40403 schema
 * not found, 409 incompatible, 42201 invalid schema); both are 0 when no registry answered.
 */
public class SchemaRegistryException extends AvroSerdeException {

    public static final int SUBJECT_NOT_FOUND = 40401;
    public static final int VERSION_NOT_FOUND = 40402;
    public static final int SCHEMA_NOT_FOUND = 40403;

    private final int status;
    private final int errorCode;

    public SchemaRegistryException(String message, int status, int errorCode) {
        super(message);
        this.status = status;
        this.errorCode = errorCode;
    }

    public SchemaRegistryException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
        this.errorCode = 0;
    }

    /** The same registry answer described from the caller's side (naming the topic), keeping status and code. */
    public SchemaRegistryException(String message, int status, int errorCode, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.errorCode = errorCode;
    }

    public int status() {
        return status;
    }

    public int errorCode() {
        return errorCode;
    }

    /**
     * The registry said the subject, version or schema does not exist: an HTTP 404 carrying one of the
     * registry's own 404xx error codes. A bare 404 (from a proxy, or a wrong path) is an outage instead.
     */
    public boolean isNotFound() {
        return status == 404 && errorCode / 100 == 404;
    }
}
