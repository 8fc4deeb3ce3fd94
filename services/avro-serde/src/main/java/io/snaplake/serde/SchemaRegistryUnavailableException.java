package io.snaplake.serde;

/**
 * The schema registry could not answer: nothing listened at any configured URL, the call timed out, or
 * the registry answered with a server error (5xx), a rate limit (429), a timeout (408), an authentication
 * failure (401, 403), or a 404 without a registry error code (a proxy in front of a registry that is not
 * there). An outage, not bad data: the same record succeeds once the registry is back, so a consumer waits
 * it out (retries with capped back-off) and never dead-letters the record for it. Distinct from a
 * {@link SchemaRegistryException} the registry answered about the data itself, such as
 * {@link UnknownSchemaIdException}.
 */
public class SchemaRegistryUnavailableException extends SchemaRegistryException {

    public SchemaRegistryUnavailableException(String message, int status, int errorCode) {
        super(message, status, errorCode);
    }

    public SchemaRegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The same outage, described from the caller's side (e.g. naming the topic); keeps the HTTP status. */
    public SchemaRegistryUnavailableException(String message, SchemaRegistryUnavailableException cause) {
        super(message, cause.status(), cause.errorCode(), cause);
    }
}
