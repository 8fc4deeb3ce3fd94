package io.snaplake.sharing.aws;

import io.snaplake.sharing.domain.CellsFilter;
import io.snaplake.sharing.domain.Grant;
import io.snaplake.sharing.domain.LfResource;
import io.snaplake.sharing.domain.Permission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.lakeformation.model.AllRowsWildcard;
import software.amazon.awssdk.services.lakeformation.model.BatchPermissionsRequestEntry;
import software.amazon.awssdk.services.lakeformation.model.ColumnWildcard;
import software.amazon.awssdk.services.lakeformation.model.DataCellsFilter;
import software.amazon.awssdk.services.lakeformation.model.DataCellsFilterResource;
import software.amazon.awssdk.services.lakeformation.model.DataLakePrincipal;
import software.amazon.awssdk.services.lakeformation.model.DatabaseResource;
import software.amazon.awssdk.services.lakeformation.model.LFTag;
import software.amazon.awssdk.services.lakeformation.model.LFTagPolicyResource;
import software.amazon.awssdk.services.lakeformation.model.PrincipalResourcePermissions;
import software.amazon.awssdk.services.lakeformation.model.Resource;
import software.amazon.awssdk.services.lakeformation.model.ResourceType;
import software.amazon.awssdk.services.lakeformation.model.RowFilter;
import software.amazon.awssdk.services.lakeformation.model.TableResource;
import software.amazon.awssdk.services.lakeformation.model.TableWildcard;
import software.amazon.awssdk.services.lakeformation.model.TableWithColumnsResource;

/** Resources, grants and data cells filters, between the sharer's terms and the Lake Formation SDK's model. */
record SdkResources(String catalogId) {

    Resource resource(LfResource resource) {
        if (resource instanceof LfResource.TagPolicy tagPolicy) {
            return Resource.builder().lfTagPolicy(LFTagPolicyResource.builder().catalogId(catalogId)
                    .resourceType(tagPolicy.resourceType() == LfResource.ResourceType.DATABASE ? ResourceType.DATABASE : ResourceType.TABLE)
                    .expression(tagPolicy.expression().entrySet().stream()
                            .map(entry -> LFTag.builder().tagKey(entry.getKey()).tagValues(entry.getValue()).build()).toList())
                    .build()).build();
        }
        if (resource instanceof LfResource.DataCellsFilter filter) {
            return Resource.builder().dataCellsFilter(DataCellsFilterResource.builder().tableCatalogId(catalogId)
                    .databaseName(filter.database()).tableName(filter.table()).name(filter.filterName()).build()).build();
        }
        if (resource instanceof LfResource.TableWithColumns table) {
            TableWithColumnsResource.Builder builder = TableWithColumnsResource.builder().databaseName(table.database()).name(table.table());
            if (table.columns().isEmpty()) {
                builder.columnWildcard(ColumnWildcard.builder().excludedColumnNames(table.excluded()).build());
            } else {
                builder.columnNames(table.columns());
            }
            return Resource.builder().tableWithColumns(builder.build()).build();
        }
        if (resource instanceof LfResource.Table table) {
            TableResource.Builder builder = TableResource.builder().databaseName(table.database());
            if (table.table().equals("*")) {
                builder.tableWildcard(TableWildcard.builder().build());
            } else {
                builder.name(table.table());
            }
            return Resource.builder().table(builder.build()).build();
        }
        return Resource.builder().database(DatabaseResource.builder().name(resource.database()).build()).build();
    }

    /** The resource in the sharer's terms; empty for kinds it neither grants nor reads (data locations, catalogs). */
    static Optional<LfResource> resource(Resource resource) {
        if (resource == null) {
            return Optional.empty();
        }
        if (resource.lfTagPolicy() != null) {
            Map<String, List<String>> expression = new LinkedHashMap<>();
            resource.lfTagPolicy().expression().forEach(tag -> expression.put(tag.tagKey(), List.copyOf(tag.tagValues())));
            LfResource.ResourceType type = resource.lfTagPolicy().resourceType() == ResourceType.DATABASE
                    ? LfResource.ResourceType.DATABASE : LfResource.ResourceType.TABLE;
            return Optional.of(new LfResource.TagPolicy(type, expression));
        }
        if (resource.dataCellsFilter() != null) {
            DataCellsFilterResource filter = resource.dataCellsFilter();
            return Optional.of(new LfResource.DataCellsFilter(filter.databaseName(), filter.tableName(), filter.name()));
        }
        if (resource.tableWithColumns() != null) {
            TableWithColumnsResource table = resource.tableWithColumns();
            List<String> excluded = table.columnWildcard() == null ? List.of() : table.columnWildcard().excludedColumnNames();
            return Optional.of(new LfResource.TableWithColumns(table.databaseName(), table.name(), table.columnNames(), excluded));
        }
        if (resource.table() != null) {
            return Optional.of(new LfResource.Table(resource.table().databaseName(),
                    resource.table().tableWildcard() != null ? "*" : resource.table().name()));
        }
        if (resource.database() != null) {
            return Optional.of(new LfResource.Database(resource.database().name()));
        }
        return Optional.empty();
    }

    /** The DESCRIBE and SELECT grants of one ListPermissions entry, one per permission. */
    static List<Grant> grants(PrincipalResourcePermissions permissions) {
        Optional<LfResource> resource = resource(permissions.resource());
        if (resource.isEmpty() || permissions.principal() == null) {
            return List.of();
        }
        List<Grant> grants = new ArrayList<>();
        for (String permission : permissions.permissionsAsStrings()) {
            if (permission.equals("DESCRIBE") || permission.equals("SELECT")) {
                grants.add(new Grant(permissions.principal().dataLakePrincipalIdentifier(), resource.get(), Permission.valueOf(permission),
                        permissions.permissionsWithGrantOptionAsStrings().contains(permission)));
            }
        }
        return grants;
    }

    BatchPermissionsRequestEntry entry(String id, Grant grant) {
        return BatchPermissionsRequestEntry.builder()
                .id(id)
                .principal(DataLakePrincipal.builder().dataLakePrincipalIdentifier(grant.principal()).build())
                .resource(resource(grant.resource()))
                .permissionsWithStrings(grant.permission().name())
                .permissionsWithGrantOptionWithStrings(grant.grantOption() ? List.of(grant.permission().name()) : List.of())
                .build();
    }

    static CellsFilter filter(DataCellsFilter filter) {
        Optional<String> rowFilter = filter.rowFilter() == null || filter.rowFilter().allRowsWildcard() != null
                ? Optional.empty() : Optional.ofNullable(filter.rowFilter().filterExpression());
        boolean allColumns = filter.columnWildcard() != null;
        return new CellsFilter(filter.databaseName(), filter.tableName(), filter.name(), filter.columnNames(),
                allColumns ? filter.columnWildcard().excludedColumnNames() : List.of(), allColumns, rowFilter);
    }

    DataCellsFilter filter(CellsFilter filter) {
        RowFilter rows = filter.rowFilter().map(expression -> RowFilter.builder().filterExpression(expression).build())
                .orElseGet(() -> RowFilter.builder().allRowsWildcard(AllRowsWildcard.builder().build()).build());
        return DataCellsFilter.builder().tableCatalogId(catalogId).databaseName(filter.database()).tableName(filter.table())
                .name(filter.name()).columnNames(filter.columns()).rowFilter(rows).build();
    }
}
