package io.snaplake.sharing.domain;

import java.util.List;
import java.util.Optional;

/**
 * The Lake Formation calls the sharer makes, on the caller's own catalog. Implementations retry throttling,
 * ConcurrentModificationException and 5xx themselves (also per batch entry); what they return as
 * {@link EntryFailure}s is what stayed refused.
 */
public interface LakeFormation {

    /** The values of LF-Tag {@code key}, or empty when the tag does not exist. */
    Optional<List<String>> tagValues(String key);

    void createTag(String key, List<String> values);

    void addTagValues(String key, List<String> values);

    /** The value of tag {@code key} assigned directly to {@code database}, if any. */
    Optional<String> databaseTag(String database, String key);

    /** The values of tag {@code key} assigned directly to {@code table} and its columns. */
    TableTags tableTags(String database, String table, String key);

    List<EntryFailure> addTag(TagTarget target, String key, String value);

    List<EntryFailure> removeTag(TagTarget target, String key, String value);

    /** Every grant in the catalog. */
    List<Grant> grants();

    /** Grants in batches of at most 20 entries. */
    List<EntryFailure> batchGrant(List<Grant> grants);

    /** Revokes in batches of at most 20 entries. */
    List<EntryFailure> batchRevoke(List<Grant> grants);

    /** The data cells filters on tables of {@code database}. */
    List<CellsFilter> filters(String database);

    void createFilter(CellsFilter filter);

    void updateFilter(CellsFilter filter);

    void deleteFilter(String database, String table, String name);
}
