package io.snaplake.pipeline.state;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The latest record of one key on a state topic, as read back.
 *
 * @param partition the state topic's partition (the input partition it belongs to)
 * @param offset    where it was read, for messages about it
 * @param timestamp the record's timestamp (the time it was given when written, else when it was sent)
 * @param headers   its headers, as UTF-8 strings
 */
public record StateRecord<V>(int partition, long offset, String key, V value, Instant timestamp, Map<String, String> headers) {

    public StateRecord {
        headers = Map.copyOf(headers);
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name));
    }
}
