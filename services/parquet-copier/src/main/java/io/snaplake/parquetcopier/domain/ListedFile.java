package io.snaplake.parquetcopier.domain;

/** A listed file handed from the lister to the copies; without a source, the end of a table's files. */
record ListedFile(TableCopy table, StoredObject source, String target) {

    static final ListedFile END_OF_EXPORT = new ListedFile(null, null, null);

    static ListedFile endOf(TableCopy table) {
        return new ListedFile(table, null, null);
    }
}
