package io.snaplake.serde;

import io.snaplake.testkit.LocalInfra;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Serdes configured against the JVM's real Apicurio Registry, with Confluent's property names. */
final class SerdeFixtures {

    private SerdeFixtures() {
    }

    static String registryUrl() {
        return LocalInfra.registry().url();
    }

    /** A topic no other test uses, so that its subjects start empty. */
    static String freshTopic() {
        return "serde-test-" + UUID.randomUUID();
    }

    static Map<String, Object> properties(Object... keyValues) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("schema.registry.url", registryUrl());
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.put((String) keyValues[i], keyValues[i + 1]);
        }
        return properties;
    }

    static AvroSerializer serializer(Object... keyValues) {
        AvroSerializer serializer = new AvroSerializer();
        serializer.configure(properties(keyValues), false);
        return serializer;
    }

    static AvroDeserializer deserializer(Object... keyValues) {
        AvroDeserializer deserializer = new AvroDeserializer();
        deserializer.configure(properties(keyValues), false);
        return deserializer;
    }

    static RestSchemaRegistryClient restClient() {
        return new RestSchemaRegistryClient(List.of(URI.create(registryUrl())), Optional.empty());
    }
}
