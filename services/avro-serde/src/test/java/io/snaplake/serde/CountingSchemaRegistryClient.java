package io.snaplake.serde;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;

/**
 * Passes every call to the real registry client and counts it, so a test can see how often the
 * registry was actually called (placed under {@link CachedSchemaRegistryClient}).
 */
final class CountingSchemaRegistryClient implements SchemaRegistryClient {

    private final SchemaRegistryClient delegate;
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    CountingSchemaRegistryClient(SchemaRegistryClient delegate) {
        this.delegate = delegate;
    }

    int calls(String method) {
        return calls.getOrDefault(method, new AtomicInteger()).get();
    }

    int totalCalls() {
        return calls.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    private void count(String method) {
        calls.computeIfAbsent(method, m -> new AtomicInteger()).incrementAndGet();
    }

    @Override
    public int register(String subject, Schema schema) {
        count("register");
        return delegate.register(subject, schema);
    }

    @Override
    public int idOf(String subject, Schema schema) {
        count("idOf");
        return delegate.idOf(subject, schema);
    }

    @Override
    public Schema schemaById(int id) {
        count("schemaById");
        return delegate.schemaById(id);
    }

    @Override
    public RegisteredSchema latestVersion(String subject) {
        count("latestVersion");
        return delegate.latestVersion(subject);
    }
}
