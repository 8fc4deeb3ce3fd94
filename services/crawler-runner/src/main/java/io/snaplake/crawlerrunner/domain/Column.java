package io.snaplake.crawlerrunner.domain;

import java.util.Objects;

/** A Glue column: its (lower-case) name and its Glue/Hive type, e.g. {@code decimal(10,2)}. */
public record Column(String name, String type) {

    public Column {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }

    @Override
    public String toString() {
        return name + " " + type;
    }
}
