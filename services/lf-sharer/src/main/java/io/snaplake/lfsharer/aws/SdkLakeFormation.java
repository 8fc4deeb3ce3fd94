package io.snaplake.lfsharer.aws;

import io.snaplake.lfsharer.lake.CellsFilter;
import io.snaplake.lfsharer.lake.EntryFailure;
import io.snaplake.lfsharer.lake.Grant;
import io.snaplake.lfsharer.lake.LakeFormation;
import io.snaplake.lfsharer.lake.LfResource;
import io.snaplake.lfsharer.lake.Permission;
import io.snaplake.lfsharer.lake.TableTags;
import io.snaplake.lfsharer.lake.TagTarget;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.services.lakeformation.LakeFormationClient;
import software.amazon.awssdk.services.lakeformation.model.AllRowsWildcard;
import software.amazon.awssdk.services.lakeformation.model.BatchPermissionsFailureEntry;
import software.amazon.awssdk.services.lakeformation.model.BatchPermissionsRequestEntry;
import software.amazon.awssdk.services.lakeformation.model.ColumnLFTag;
import software.amazon.awssdk.services.lakeformation.model.ColumnWildcard;
import software.amazon.awssdk.services.lakeformation.model.DataCellsFilter;
import software.amazon.awssdk.services.lakeformation.model.DataCellsFilterResource;
import software.amazon.awssdk.services.lakeformation.model.DataLakePrincipal;
import software.amazon.awssdk.services.lakeformation.model.DatabaseResource;
import software.amazon.awssdk.services.lakeformation.model.EntityNotFoundException;
import software.amazon.awssdk.services.lakeformation.model.GetResourceLfTagsResponse;
import software.amazon.awssdk.services.lakeformation.model.LFTag;
import software.amazon.awssdk.services.lakeformation.model.LFTagError;
import software.amazon.awssdk.services.lakeformation.model.LFTagPair;
import software.amazon.awssdk.services.lakeformation.model.LFTagPolicyResource;
import software.amazon.awssdk.services.lakeformation.model.PrincipalResourcePermissions;
import software.amazon.awssdk.services.lakeformation.model.Resource;
import software.amazon.awssdk.services.lakeformation.model.ResourceType;
import software.amazon.awssdk.services.lakeformation.model.RowFilter;
import software.amazon.awssdk.services.lakeformation.model.TableResource;
import software.amazon.awssdk.services.lakeformation.model.TableWildcard;
import software.amazon.awssdk.services.lakeformation.model.TableWithColumnsResource;

/**
 * {@link LakeFormation} on the AWS SDK. Batch calls go 20 entries at a time (the API's limit); an entry
 * refused with a retryable code (ConcurrentModificationException, throttling) is sent again with the next
 * attempt, the others are returned as {@link EntryFailure}s.
 */
public final class SdkLakeFormation implements LakeFormation {

    /** BatchGrantPermissions and BatchRevokePermissions take at most 20 entries. */
    public static final int BATCH_SIZE = 20;

    private final LakeFormationClient client;
    private final AwsRetry retry;
    private final String catalogId;

    public SdkLakeFormation(LakeFormationClient client, AwsRetry retry, String catalogId) {
        this.client = client;
        this.retry = retry;
        this.catalogId = catalogId;
    }

    @Override
    public Optional<List<String>> tagValues(String key) {
        try {
            // An LF-Tag has at least one value on AWS; moto answers an unknown key with no values instead of
            // EntityNotFoundException, so no values means no tag.
            List<String> values = retry.call("GetLFTag", () -> client.getLFTag(request -> request.tagKey(key)).tagValues());
            return values.isEmpty() ? Optional.empty() : Optional.of(values);
        } catch (EntityNotFoundException e) {
            return Optional.empty();
        }
    }

    @Override
    public void createTag(String key, List<String> values) {
        retry.run("CreateLFTag", () -> client.createLFTag(request -> request.tagKey(key).tagValues(values)));
    }

    @Override
    public void addTagValues(String key, List<String> values) {
        retry.run("UpdateLFTag", () -> client.updateLFTag(request -> request.tagKey(key).tagValuesToAdd(values)));
    }

    @Override
    public Optional<String> databaseTag(String database, String key) {
        GetResourceLfTagsResponse response = resourceTags(Resource.builder().database(DatabaseResource.builder().name(database).build()).build());
        if (response == null) {
            return Optional.empty();
        }
        return value(response.lfTagOnDatabase(), key);
    }

    @Override
    public TableTags tableTags(String database, String table, String key) {
        GetResourceLfTagsResponse response = resourceTags(Resource.builder().table(TableResource.builder().databaseName(database)
                .name(table).build()).build());
        if (response == null) {
            return TableTags.none();
        }
        Map<String, String> columns = new LinkedHashMap<>();
        for (ColumnLFTag column : response.lfTagsOnColumns()) {
            value(column.lfTags(), key).ifPresent(value -> columns.put(column.name(), value));
        }
        return new TableTags(value(response.lfTagsOnTable(), key), columns);
    }

    /** The tags assigned to the resource itself (not inherited), or null when the resource does not exist. */
    private GetResourceLfTagsResponse resourceTags(Resource resource) {
        try {
            return retry.call("GetResourceLFTags", () -> client.getResourceLFTags(request -> request.resource(resource).showAssignedLFTags(true)));
        } catch (EntityNotFoundException e) {
            return null;
        }
    }

    private static Optional<String> value(List<LFTagPair> tags, String key) {
        return tags.stream().filter(tag -> tag.tagKey().equals(key)).flatMap(tag -> tag.tagValues().stream()).findFirst();
    }

    @Override
    public List<EntryFailure> addTag(TagTarget target, String key, String value) {
        LFTagPair pair = LFTagPair.builder().catalogId(catalogId).tagKey(key).tagValues(value).build();
        return tagCall(target, key, value, "assign",
                resource -> client.addLFTagsToResource(request -> request.resource(resource).lfTags(pair)).failures());
    }

    @Override
    public List<EntryFailure> removeTag(TagTarget target, String key, String value) {
        LFTagPair pair = LFTagPair.builder().catalogId(catalogId).tagKey(key).tagValues(value).build();
        return tagCall(target, key, value, "remove",
                resource -> client.removeLFTagsFromResource(request -> request.resource(resource).lfTags(pair)).failures());
    }

    /** AddLFTagsToResource and RemoveLFTagsFromResource report per-tag failures inside a successful response. */
    private List<EntryFailure> tagCall(TagTarget target, String key, String value, String verb, Function<Resource, List<LFTagError>> call) {
        Resource resource = resource(target);
        List<LFTagError> errors = List.of();
        for (int attempt = 1; attempt <= retry.maxAttempts(); attempt++) {
            errors = retry.call(verb + " LF-Tag", () -> call.apply(resource));
            boolean retryable = !errors.isEmpty() && errors.stream().allMatch(error -> AwsRetry.isRetryableCode(error.error().errorCode()));
            if (!retryable || attempt == retry.maxAttempts()) {
                break;
            }
            retry.pause(attempt);
        }
        return errors.stream().map(error -> new EntryFailure(verb + " " + key + "=" + value + " on " + target,
                error.error().errorCode(), error.error().errorMessage())).toList();
    }

    private static Resource resource(TagTarget target) {
        if (target instanceof TagTarget.OnDatabase database) {
            return Resource.builder().database(DatabaseResource.builder().name(database.database()).build()).build();
        }
        if (target instanceof TagTarget.OnTable table) {
            return Resource.builder().table(TableResource.builder().databaseName(table.database()).name(table.table()).build()).build();
        }
        TagTarget.OnColumns columns = (TagTarget.OnColumns) target;
        return Resource.builder().tableWithColumns(TableWithColumnsResource.builder().databaseName(columns.database())
                .name(columns.table()).columnNames(columns.columns()).build()).build();
    }

    @Override
    public List<Grant> grants() {
        // Unfiltered: the sharer converges every grant it owns, wherever it is; moto and AWS both answer this form.
        List<Grant> grants = new ArrayList<>();
        retry.run("ListPermissions", () -> {
            grants.clear();
            client.listPermissionsPaginator(request -> { }).stream().flatMap(page -> page.principalResourcePermissions().stream()).forEach(permission -> grants.addAll(grants(permission)));
        });
        return grants;
    }

    private static List<Grant> grants(PrincipalResourcePermissions permissions) {
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

    /** The resource in the sharer's terms; empty for kinds it neither grants nor reads (data locations, catalogs). */
    private static Optional<LfResource> resource(Resource resource) {
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

    private Resource resource(LfResource resource) {
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
        LfResource.Database database = (LfResource.Database) resource;
        return Resource.builder().database(DatabaseResource.builder().name(database.database()).build()).build();
    }

    @Override
    public List<EntryFailure> batchGrant(List<Grant> grants) {
        return batch("grant", grants, entries -> client.batchGrantPermissions(request -> request.entries(entries)).failures());
    }

    @Override
    public List<EntryFailure> batchRevoke(List<Grant> grants) {
        return batch("revoke", grants, entries -> client.batchRevokePermissions(request -> request.entries(entries)).failures());
    }

    private List<EntryFailure> batch(String verb, List<Grant> grants, Function<List<BatchPermissionsRequestEntry>, List<BatchPermissionsFailureEntry>> call) {
        List<EntryFailure> failures = new ArrayList<>();
        for (int from = 0; from < grants.size(); from += BATCH_SIZE) {
            List<Grant> chunk = grants.subList(from, Math.min(grants.size(), from + BATCH_SIZE));
            Map<String, Grant> pending = new LinkedHashMap<>();
            for (int i = 0; i < chunk.size(); i++) {
                pending.put(Integer.toString(from + i), chunk.get(i));
            }
            for (int attempt = 1; !pending.isEmpty(); attempt++) {
                List<BatchPermissionsRequestEntry> entries = pending.entrySet().stream().map(entry -> entry(entry.getKey(), entry.getValue())).toList();
                List<BatchPermissionsFailureEntry> refused = retry.call("Batch" + verb, () -> call.apply(entries));
                Map<String, Grant> retryable = new LinkedHashMap<>();
                for (BatchPermissionsFailureEntry failure : refused) {
                    String id = failure.requestEntry() == null ? null : failure.requestEntry().id();
                    Grant grant = id == null ? null : pending.get(id);
                    String code = failure.error() == null ? "Unknown" : failure.error().errorCode();
                    String message = failure.error() == null ? "" : failure.error().errorMessage();
                    if (grant != null && AwsRetry.isRetryableCode(code) && attempt < retry.maxAttempts()) {
                        retryable.put(id, grant);
                    } else {
                        failures.add(new EntryFailure(verb + " " + (grant == null ? "entry " + id : grant), code, message));
                    }
                }
                pending = retryable;
                if (!pending.isEmpty()) {
                    retry.pause(attempt);
                }
            }
        }
        return failures;
    }

    private BatchPermissionsRequestEntry entry(String id, Grant grant) {
        return BatchPermissionsRequestEntry.builder()
                .id(id)
                .principal(DataLakePrincipal.builder().dataLakePrincipalIdentifier(grant.principal()).build())
                .resource(resource(grant.resource()))
                .permissionsWithStrings(grant.permission().name())
                .permissionsWithGrantOptionWithStrings(grant.grantOption() ? List.of(grant.permission().name()) : List.of())
                .build();
    }

    @Override
    public List<CellsFilter> filters(String database) {
        return retry.call("ListDataCellsFilter", () -> client.listDataCellsFilterPaginator(request -> request.table(TableResource.builder()
                        .catalogId(catalogId).databaseName(database).tableWildcard(TableWildcard.builder().build()).build()))
                .dataCellsFilters().stream().filter(filter -> database.equals(filter.databaseName())).map(SdkLakeFormation::filter).toList());
    }

    private static CellsFilter filter(DataCellsFilter filter) {
        Optional<String> rowFilter = filter.rowFilter() == null || filter.rowFilter().allRowsWildcard() != null
                ? Optional.empty() : Optional.ofNullable(filter.rowFilter().filterExpression());
        boolean allColumns = filter.columnWildcard() != null;
        return new CellsFilter(filter.databaseName(), filter.tableName(), filter.name(), filter.columnNames(),
                allColumns ? filter.columnWildcard().excludedColumnNames() : List.of(), allColumns, rowFilter);
    }

    private DataCellsFilter filter(CellsFilter filter) {
        RowFilter rows = filter.rowFilter().map(expression -> RowFilter.builder().filterExpression(expression).build())
                .orElseGet(() -> RowFilter.builder().allRowsWildcard(AllRowsWildcard.builder().build()).build());
        return DataCellsFilter.builder().tableCatalogId(catalogId).databaseName(filter.database()).tableName(filter.table())
                .name(filter.name()).columnNames(filter.columns()).rowFilter(rows).build();
    }

    @Override
    public void createFilter(CellsFilter filter) {
        retry.run("CreateDataCellsFilter", () -> client.createDataCellsFilter(request -> request.tableData(filter(filter))));
    }

    @Override
    public void updateFilter(CellsFilter filter) {
        retry.run("UpdateDataCellsFilter", () -> client.updateDataCellsFilter(request -> request.tableData(filter(filter))));
    }

    @Override
    public void deleteFilter(String database, String table, String name) {
        retry.run("DeleteDataCellsFilter", () -> client.deleteDataCellsFilter(request -> request.tableCatalogId(catalogId)
                .databaseName(database).tableName(table).name(name)));
    }
}
