package io.snaplake.serde;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * Remembers the registry's answers, so that after the first record of each schema no record costs a
 * registry call: schema to id per subject (from registration or lookup), id to schema (ids are
 * immutable), and a subject's latest version for {@code latest.cache.ttl.sec} (-1: for ever). Errors
 * are not cached: a schema registered later is found on the next record.
 */
public final class CachedSchemaRegistryClient implements SchemaRegistryClient {

    private final SchemaRegistryClient delegate;
    private final Duration latestTtl;
    private final Clock clock;
    private final Map<String, Map<Schema, Integer>> idsBySubject = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<String, Latest> latestBySubject = new ConcurrentHashMap<>();

    private record Latest(RegisteredSchema schema, Instant fetchedAt) {
    }

    /** Caches for ever (the latest version too). */
    public CachedSchemaRegistryClient(SchemaRegistryClient delegate) {
        this(delegate, -1, Clock.systemUTC());
    }

    public CachedSchemaRegistryClient(SchemaRegistryClient delegate, long latestCacheTtlSeconds, Clock clock) {
        this.delegate = delegate;
        this.latestTtl = latestCacheTtlSeconds < 0 ? null : Duration.ofSeconds(latestCacheTtlSeconds);
        this.clock = clock;
    }

    @Override
    public int register(String subject, Schema schema) {
        return idsOf(subject).computeIfAbsent(schema, s -> remember(delegate.register(subject, s), s));
    }

    @Override
    public int idOf(String subject, Schema schema) {
        return idsOf(subject).computeIfAbsent(schema, s -> remember(delegate.idOf(subject, s), s));
    }

    @Override
    public Schema schemaById(int id) {
        return schemasById.computeIfAbsent(id, delegate::schemaById);
    }

    @Override
    public RegisteredSchema latestVersion(String subject) {
        Latest cached = latestBySubject.get(subject);
        Instant now = clock.instant();
        if (cached != null && (latestTtl == null || cached.fetchedAt().plus(latestTtl).isAfter(now))) {
            return cached.schema();
        }
        RegisteredSchema latest = delegate.latestVersion(subject);
        latestBySubject.put(subject, new Latest(latest, now));
        remember(latest.id(), latest.schema());
        return latest;
    }

    private Map<Schema, Integer> idsOf(String subject) {
        return idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>());
    }

    private int remember(int id, Schema schema) {
        schemasById.putIfAbsent(id, schema);
        return id;
    }
}
