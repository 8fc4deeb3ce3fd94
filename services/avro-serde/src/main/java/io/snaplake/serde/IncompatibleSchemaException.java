package io.snaplake.serde;

/** The registry refused to register a schema as a new version of a subject (HTTP 409). */
public class IncompatibleSchemaException extends SchemaRegistryException {

    private final String subject;

    public IncompatibleSchemaException(String subject, String registryMessage) {
        super("Schema is incompatible with the registered versions of subject '" + subject + "' (registry: "
                + registryMessage + ")", 409, 409);
        this.subject = subject;
    }

    public String subject() {
        return subject;
    }
}
