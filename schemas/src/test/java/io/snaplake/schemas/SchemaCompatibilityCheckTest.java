package io.snaplake.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.snaplake.events.SnapshotCreated;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaCompatibilityCheckTest {

    private static final String RELEASED = """
            {"type": "record", "name": "Sample", "namespace": "io.snaplake.test", "fields": [
              {"name": "id", "type": "string"},
              {"name": "sizeGb", "type": "int"}
            ]}""";

    @TempDir
    Path history;

    @Test
    void everyCurrentEventSchema_isCompatibleWithItsRecordedVersions() {
        SchemaCompatibilityCheck check = new SchemaCompatibilityCheck(Path.of("history"));

        EventSchemas.ALL.forEach(schema -> assertThat(check.problems(schema)).as(schema.getFullName()).isEmpty());
    }

    @Test
    void rejects_aNewRequiredFieldWithoutDefault() throws IOException {
        recordReleased();
        Schema changed = parse("""
                {"type": "record", "name": "Sample", "namespace": "io.snaplake.test", "fields": [
                  {"name": "id", "type": "string"},
                  {"name": "sizeGb", "type": "int"},
                  {"name": "owner", "type": "string"}
                ]}""");

        assertThat(new SchemaCompatibilityCheck(history).problems(changed))
                .singleElement().asString()
                .contains("io.snaplake.test.Sample is not BACKWARD compatible with io.snaplake.test.Sample/v1.avsc")
                .contains("owner");
    }

    @Test
    void rejects_aNarrowedFieldType() throws IOException {
        recordReleased();
        Schema changed = parse("""
                {"type": "record", "name": "Sample", "namespace": "io.snaplake.test", "fields": [
                  {"name": "id", "type": "string"},
                  {"name": "sizeGb", "type": "string"}
                ]}""");

        assertThat(new SchemaCompatibilityCheck(history).problems(changed)).hasSize(1);
    }

    @Test
    void accepts_anOptionalFieldWithDefaultAndAPromotedType() throws IOException {
        recordReleased();
        Schema changed = parse("""
                {"type": "record", "name": "Sample", "namespace": "io.snaplake.test", "fields": [
                  {"name": "id", "type": "string"},
                  {"name": "sizeGb", "type": "long"},
                  {"name": "owner", "type": ["null", "string"], "default": null}
                ]}""");

        assertThat(new SchemaCompatibilityCheck(history).problems(changed)).isEmpty();
    }

    @Test
    void reportsASchemaWithoutRecordedVersion() {
        assertThat(new SchemaCompatibilityCheck(history).problems(parse(RELEASED)))
                .singleElement().asString().contains("no recorded version");
    }

    @Test
    void record_writesTheNextVersionOnlyWhenTheSchemaChanged() throws IOException {
        SchemaCompatibilityCheck check = new SchemaCompatibilityCheck(history);
        Schema current = SnapshotCreated.getClassSchema();

        assertThat(check.record(current)).endsWith("recorded io.snaplake.events.SnapshotCreated/v1.avsc");
        assertThat(check.record(current)).endsWith("unchanged since v1.avsc");
        assertThat(new Schema.Parser().parse(history.resolve("io.snaplake.events.SnapshotCreated/v1.avsc").toFile()))
                .isEqualTo(current);
    }

    @Test
    void main_failsTheBuild_whenASchemaIsIncompatible() throws IOException {
        // A released SnapshotCreated whose only boolean field (forceExport) was a string: the current schema
        // cannot read what that version wrote.
        Schema current = SnapshotCreated.getClassSchema();
        String released = current.toString()
                .replace("\"type\":\"boolean\"", "\"type\":\"string\"").replace("\"default\":false", "\"default\":\"no\"");
        assertThat(released).isNotEqualTo(current.toString());
        Path dir = Files.createDirectories(history.resolve("io.snaplake.events.SnapshotCreated"));
        Files.writeString(dir.resolve("v1.avsc"), released);

        assertThatThrownBy(() -> SchemaCompatibilityCheck.main(new String[] {"check", history.toString()}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Schema compatibility check failed")
                .hasMessageContaining("io.snaplake.events.SnapshotCreated is not BACKWARD compatible")
                .hasMessageContaining("reader type: BOOLEAN not compatible with writer type: STRING");
    }

    private void recordReleased() throws IOException {
        Path dir = Files.createDirectories(history.resolve("io.snaplake.test.Sample"));
        Files.writeString(dir.resolve("v1.avsc"), RELEASED);
    }

    private static Schema parse(String json) {
        return new Schema.Parser().parse(json);
    }
}
