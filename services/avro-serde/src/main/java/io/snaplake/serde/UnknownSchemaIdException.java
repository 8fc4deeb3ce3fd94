package io.snaplake.serde;

/** A record names a schema id the registry does not know (registry HTTP 404). */
public class UnknownSchemaIdException extends AvroSerdeException {

    private final int schemaId;

    public UnknownSchemaIdException(String topic, int schemaId, Throwable cause) {
        super("Record on topic '" + topic + "' names schema id " + schemaId + ", which the schema registry does not know",
                cause);
        this.schemaId = schemaId;
    }

    public int schemaId() {
        return schemaId;
    }
}
