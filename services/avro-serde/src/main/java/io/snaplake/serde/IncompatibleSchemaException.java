package io.snaplake.serde;

/** The registry refused to register a schema as a new version of a subject (HTTP 409). */
public class IncompatibleSchemaException extends SchemaRegistryException {

    private final String subject;

    public IncompatibleSchemaException(String subject, String registryMessage) {
        super("Schema is incompatible with the registered versions of subject '" + subject + "' (registry: "
                + registryMessage + ")", 409, 409);
        this.subject = subject;
    }

    /** The refusal as the serializer reports it: which record, for which topic. */
    public IncompatibleSchemaException(String topic, String recordName, IncompatibleSchemaException cause) {
        super("Schema " + recordName + " for topic '" + topic + "' is incompatible with the registered versions of subject '"
                + cause.subject() + "': " + cause.getMessage(), cause.status(), cause.errorCode(), cause);
        this.subject = cause.subject();
    }

    public String subject() {
        return subject;
    }
}
