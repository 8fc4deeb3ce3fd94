package io.snaplake.sharing.domain;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The sharing policy: per cluster, the Glue database its days are catalogued in, who receives what, and the
 * sensitive column-name patterns that nobody ever receives. Everything the policy does not name stays private.
 *
 * @param source    the file the policy was read from (named in every problem)
 * @param sensitive the global sensitive column-name patterns
 * @param clusters  per cluster id, in file order
 */
public record SharingPolicy(String source, SensitiveColumns sensitive, Map<String, ClusterPolicy> clusters) {

    public SharingPolicy {
        clusters = Collections.unmodifiableMap(new LinkedHashMap<>(clusters));
    }

    public Optional<ClusterPolicy> cluster(String clusterId) {
        return Optional.ofNullable(clusters.get(clusterId));
    }

    /**
     * Every principal that receives tables shared whole, in any cluster: the tag-based grant on
     * {@code confidential=public} is catalogue-wide, so it is computed from the whole policy.
     */
    public Set<Recipient> wholeTableRecipients() {
        Set<Recipient> recipients = new LinkedHashSet<>();
        clusters.values().stream()
                .filter(cluster -> cluster.databases().values().stream().anyMatch(db -> !db.whole().isEmpty()))
                .forEach(cluster -> recipients.addAll(cluster.recipients()));
        return recipients;
    }

    /** The cluster whose days are catalogued in {@code glueDatabase}. */
    public Optional<ClusterPolicy> clusterOfDatabase(String glueDatabase) {
        return clusters.values().stream().filter(cluster -> cluster.glueDatabase().equals(glueDatabase)).findFirst();
    }

    /** One cluster: its Glue database, its recipients, and its source databases' tables. */
    public record ClusterPolicy(String cluster, String glueDatabase, List<Recipient> recipients,
            Map<String, DatabasePolicy> databases, int line) {

        public ClusterPolicy {
            recipients = List.copyOf(recipients);
            databases = Collections.unmodifiableMap(new LinkedHashMap<>(databases));
        }

        /** The policy's entry of a Glue table shared whole, if the policy names it so. */
        public Optional<WholeTable> wholeTable(String glueTable) {
            return find(DatabasePolicy::whole, glueTable);
        }

        /** The policy's entry of a Glue table shared through a filter, if the policy names it so. */
        public Optional<FilteredTable> filteredTable(String glueTable) {
            return find(DatabasePolicy::filtered, glueTable);
        }

        /** Every table the policy names, shared whole or through a filter. */
        public Stream<NamedTable> namedTables() {
            return databases.values().stream().flatMap(db -> Stream.concat(db.whole().stream(), db.filtered().stream()));
        }

        private <T extends NamedTable> Optional<T> find(Function<DatabasePolicy, List<T>> tables, String glueTable) {
            return databases.values().stream().flatMap(db -> tables.apply(db).stream())
                    .filter(table -> table.glueTable().equals(glueTable)).findFirst();
        }

        public boolean sharesAnything() {
            return !recipients.isEmpty() && databases.values().stream()
                    .anyMatch(db -> !db.whole().isEmpty() || !db.filtered().isEmpty());
        }
    }

    /** One source database of a cluster (as the export names it, e.g. ordersdb). */
    public record DatabasePolicy(String database, List<WholeTable> whole, List<FilteredTable> filtered, int line) {
        public DatabasePolicy {
            whole = List.copyOf(whole);
            filtered = List.copyOf(filtered);
        }
    }

    /** A source table the policy names: as the export names it, its Glue table, and the policy's line. */
    public sealed interface NamedTable permits WholeTable, FilteredTable {
        String sourceTable();

        String glueTable();

        int line();
    }

    /**
     * A table shared whole, through the {@code confidential=public} tag.
     *
     * @param columns the columns the policy accepts, or empty when it names none: then every column present
     *                when the table is first shared is accepted, and columns that appear later are held back
     */
    public record WholeTable(String sourceTable, String glueTable, Optional<List<String>> columns, int line) implements NamedTable {
    }

    /**
     * A table shared through a data cells filter.
     *
     * @param include   the columns shared (AWS requires an include list for a grant with grant option)
     * @param exclude   columns left out, when the policy gives an exclude list instead (no grant option):
     *                  resolved against the table's columns at every apply, sensitive columns always left out
     * @param rowFilter a PartiQL row filter, or empty for all rows
     */
    public record FilteredTable(String sourceTable, String glueTable, Optional<List<String>> include,
            Optional<List<String>> exclude, Optional<String> rowFilter, int line) implements NamedTable {
    }
}
