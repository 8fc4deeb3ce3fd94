package io.snaplake.lfsharer.domain;

import java.util.Set;

/** The recipient account's own Glue catalogue, where its Athena looks for tables. */
public interface RecipientCatalog {

    boolean databaseExists(String database);

    void createDatabase(String database);

    /** The names of the database's tables (resource links included). */
    Set<String> tables(String database);

    /**
     * Creates a resource link {@code database.name} to {@code targetAccount}'s {@code targetDatabase.targetTable};
     * a link that already exists is left as it is.
     */
    void createLink(String database, String name, String targetAccount, String targetDatabase, String targetTable);
}
