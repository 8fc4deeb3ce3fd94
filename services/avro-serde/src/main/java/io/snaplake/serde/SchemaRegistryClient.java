package io.snaplake.serde;

import org.apache.avro.Schema;

/**
 * The part of the Confluent Schema Registry REST API the serdes use. {@link RestSchemaRegistryClient}
 * speaks HTTP; {@link CachedSchemaRegistryClient} remembers answers so that, once warm, records are
 * serialized and deserialized without calling the registry.
 */
public interface SchemaRegistryClient {

    /** Registers the schema under the subject (or finds it registered already) and returns its id. */
    int register(String subject, Schema schema);

    /** The id of a schema already registered under the subject; {@link SchemaRegistryException} (404) if it is not. */
    int idOf(String subject, Schema schema);

    /** The schema with the given id; {@link SchemaRegistryException} (404) if there is none. */
    Schema schemaById(int id);

    /** The newest version registered under the subject. */
    RegisteredSchema latestVersion(String subject);
}
