package io.snaplake.sharing.domain;

import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** A Lake Formation resource a grant or an LF-Tag applies to (the catalog is always the caller's account). */
public sealed interface LfResource {

    /** The Glue database of the resource, or null for a tag policy. */
    String database();

    /** A grant on a whole database. */
    record Database(String database) implements LfResource {
        @Override
        public String toString() {
            return "database " + database;
        }
    }

    /** A grant on a whole table. */
    record Table(String database, String table) implements LfResource {
        @Override
        public String toString() {
            return "table " + database + "." + table;
        }
    }

    /** A grant on some columns of a table: {@code columns}, or every column but {@code excluded}. */
    record TableWithColumns(String database, String table, List<String> columns, List<String> excluded) implements LfResource {
        public TableWithColumns {
            columns = List.copyOf(columns);
            excluded = List.copyOf(excluded);
        }

        @Override
        public String toString() {
            return "table " + database + "." + table + (columns.isEmpty() ? " all columns except " + excluded : " columns " + columns);
        }
    }

    /** A grant through a data cells filter. */
    record DataCellsFilter(String database, String table, String filterName) implements LfResource {
        @Override
        public String toString() {
            return "data cells filter " + database + "." + table + "/" + filterName;
        }
    }

    /**
     * A tag-based grant: every resource of {@code resourceType} whose tags match the expression (for every
     * key, the resource's value is one of the listed values).
     */
    record TagPolicy(ResourceType resourceType, Map<String, List<String>> expression) implements LfResource {
        public TagPolicy {
            expression = Collections.unmodifiableMap(new TreeMap<>(expression));
        }

        @Override
        public String database() {
            return null;
        }

        @Override
        public String toString() {
            return "tag expression " + expression + " (" + resourceType.name().toLowerCase(Locale.ROOT) + "s)";
        }
    }

    enum ResourceType {
        DATABASE, TABLE
    }
}
