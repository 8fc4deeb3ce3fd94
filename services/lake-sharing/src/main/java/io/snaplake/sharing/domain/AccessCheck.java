package io.snaplake.sharing.domain;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Computes, from Lake Formation's actual state (tags on databases, tables and columns; tag-based grants;
 * data cells filters; named grants), every table and column an account can SELECT, and flags every readable
 * column that matches a sensitive pattern. It does not trust the policy: it reads what is there.
 */
public record AccessCheck(Catalog catalog, LakeFormation lakeFormation, SensitiveColumns sensitive) {

    public AccessReport check(String accountId) {
        List<Grant> selects = lakeFormation.grants().stream()
                .filter(grant -> grant.permission() == Permission.SELECT && belongsTo(grant.principal(), accountId)).toList();
        List<ReadableBuilder> readable = new ArrayList<>();
        List<String> dangling = new ArrayList<>();
        Set<String> databases = new LinkedHashSet<>(catalog.databases());
        selects.stream().map(grant -> grant.resource().database()).filter(db -> db != null).forEach(databases::add);
        for (String database : databases) {
            List<CatalogTable> tables = catalog.tables(database);
            Map<String, CellsFilter> filters = new HashMap<>();
            lakeFormation.filters(database).forEach(filter -> filters.put(filter.table() + "/" + filter.name(), filter));
            Map<String, Optional<String>> databaseTags = new HashMap<>();
            for (CatalogTable table : tables) {
                ReadableBuilder builder = new ReadableBuilder(table);
                Map<String, TableTags> tableTags = new HashMap<>();
                for (Grant grant : selects) {
                    LfResource resource = grant.resource();
                    if (resource instanceof LfResource.TagPolicy tagPolicy && tagPolicy.resourceType() == LfResource.ResourceType.TABLE) {
                        for (String column : table.allColumns()) {
                            boolean matches = tagPolicy.expression().entrySet().stream().allMatch(condition -> {
                                Optional<String> dbValue = databaseTags.computeIfAbsent(condition.getKey(),
                                        key -> lakeFormation.databaseTag(database, key));
                                TableTags tags = tableTags.computeIfAbsent(condition.getKey(),
                                        key -> lakeFormation.tableTags(database, table.name(), key));
                                return tags.effective(column, dbValue).map(condition.getValue()::contains).orElse(false);
                            });
                            if (matches) {
                                builder.add(column, grant, Optional.empty());
                            }
                        }
                    } else if (!database.equals(resource.database())) {
                        continue;
                    } else if (resource instanceof LfResource.Table named && named.table().equals(table.name())) {
                        table.allColumns().forEach(column -> builder.add(column, grant, Optional.empty()));
                    } else if (resource instanceof LfResource.TableWithColumns named && named.table().equals(table.name())) {
                        table.allColumns().stream()
                                .filter(column -> named.columns().isEmpty() ? !named.excluded().contains(column) : named.columns().contains(column))
                                .forEach(column -> builder.add(column, grant, Optional.empty()));
                    } else if (resource instanceof LfResource.DataCellsFilter named && named.table().equals(table.name())) {
                        CellsFilter filter = filters.get(named.table() + "/" + named.filterName());
                        if (filter == null) {
                            dangling.add(grant.toString());
                        } else {
                            filter.visibleColumns(table.allColumns()).forEach(column -> builder.add(column, grant, filter.rowFilter()));
                        }
                    }
                }
                if (!builder.columns.isEmpty()) {
                    readable.add(builder);
                }
            }
        }
        readable.sort(java.util.Comparator.comparing((ReadableBuilder builder) -> builder.table.database())
                .thenComparing(builder -> builder.table.name()));
        List<AccessReport.ReadableTable> tables = readable.stream().map(ReadableBuilder::build).toList();
        List<AccessReport.Exposure> exposures = new ArrayList<>();
        for (ReadableBuilder builder : readable) {
            for (String column : builder.orderedColumns()) {
                sensitive.matchingPattern(column).ifPresent(pattern -> exposures.add(new AccessReport.Exposure(
                        builder.table.database(), builder.table.name(), column, pattern, builder.columns.get(column))));
            }
        }
        return new AccessReport(accountId, tables, exposures, dangling);
    }

    /** The account itself or one of its IAM principals. */
    static boolean belongsTo(String principal, String accountId) {
        return principal.equals(accountId) || principal.startsWith("arn:aws:iam::" + accountId + ":");
    }

    private static final class ReadableBuilder {
        private final CatalogTable table;
        private final Map<String, List<String>> columns = new HashMap<>();
        private final Set<String> via = new LinkedHashSet<>();
        private final Set<String> rowFilters = new LinkedHashSet<>();
        private boolean allRows;

        ReadableBuilder(CatalogTable table) {
            this.table = table;
        }

        void add(String column, Grant grant, Optional<String> rowFilter) {
            String description = grant.resource() + " to " + grant.principal();
            columns.computeIfAbsent(column, c -> new ArrayList<>()).add(description);
            via.add(description);
            rowFilter.ifPresentOrElse(rowFilters::add, () -> allRows = true);
        }

        List<String> orderedColumns() {
            return table.allColumns().stream().filter(columns::containsKey).toList();
        }

        AccessReport.ReadableTable build() {
            return new AccessReport.ReadableTable(table.database(), table.name(), orderedColumns(), List.copyOf(via),
                    allRows ? List.of() : List.copyOf(rowFilters));
        }
    }
}
