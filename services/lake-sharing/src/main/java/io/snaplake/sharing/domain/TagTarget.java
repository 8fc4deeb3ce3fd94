package io.snaplake.sharing.domain;

import java.util.List;

/** What an LF-Tag value is assigned to: a database, a table, or some named columns of a table. */
public record TagTarget(LfResource resource) {

    public TagTarget {
        boolean taggable = resource instanceof LfResource.Database || resource instanceof LfResource.Table
                || resource instanceof LfResource.TableWithColumns columns && !columns.columns().isEmpty();
        if (!taggable) {
            throw new IllegalArgumentException("an LF-Tag is assigned to a database, a table or named columns, not to " + resource);
        }
    }

    public static TagTarget database(String database) {
        return new TagTarget(new LfResource.Database(database));
    }

    public static TagTarget table(String database, String table) {
        return new TagTarget(new LfResource.Table(database, table));
    }

    public static TagTarget columns(String database, String table, List<String> columns) {
        return new TagTarget(new LfResource.TableWithColumns(database, table, columns, List.of()));
    }

    public boolean isDatabase() {
        return resource instanceof LfResource.Database;
    }

    @Override
    public String toString() {
        return resource instanceof LfResource.TableWithColumns columns
                ? "columns " + columns.database() + "." + columns.table() + columns.columns() : resource.toString();
    }
}
