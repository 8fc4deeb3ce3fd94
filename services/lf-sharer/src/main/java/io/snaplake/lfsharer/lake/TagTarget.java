package io.snaplake.lfsharer.lake;

import java.util.List;

/** What an LF-Tag value is assigned to: a database, a table, or some columns of a table. */
public sealed interface TagTarget {

    String database();

    record OnDatabase(String database) implements TagTarget {
        @Override
        public String toString() {
            return "database " + database;
        }
    }

    record OnTable(String database, String table) implements TagTarget {
        @Override
        public String toString() {
            return "table " + database + "." + table;
        }
    }

    record OnColumns(String database, String table, List<String> columns) implements TagTarget {
        public OnColumns {
            columns = List.copyOf(columns);
        }

        @Override
        public String toString() {
            return "columns " + database + "." + table + columns;
        }
    }
}
