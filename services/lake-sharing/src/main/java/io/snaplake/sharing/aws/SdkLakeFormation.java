package io.snaplake.sharing.aws;

import io.snaplake.sharing.domain.CellsFilter;
import io.snaplake.sharing.domain.EntryFailure;
import io.snaplake.sharing.domain.Grant;
import io.snaplake.sharing.domain.LakeFormation;
import io.snaplake.sharing.domain.TableTags;
import io.snaplake.sharing.domain.TagTarget;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import software.amazon.awssdk.services.lakeformation.LakeFormationClient;
import software.amazon.awssdk.services.lakeformation.model.BatchPermissionsFailureEntry;
import software.amazon.awssdk.services.lakeformation.model.BatchPermissionsRequestEntry;
import software.amazon.awssdk.services.lakeformation.model.ColumnLFTag;
import software.amazon.awssdk.services.lakeformation.model.EntityNotFoundException;
import software.amazon.awssdk.services.lakeformation.model.GetResourceLfTagsResponse;
import software.amazon.awssdk.services.lakeformation.model.LFTagError;
import software.amazon.awssdk.services.lakeformation.model.LFTagPair;
import software.amazon.awssdk.services.lakeformation.model.Resource;
import software.amazon.awssdk.services.lakeformation.model.TableResource;
import software.amazon.awssdk.services.lakeformation.model.TableWildcard;

/**
 * {@link LakeFormation} on the AWS SDK. Batch calls go 20 entries at a time (the API's limit); an entry refused
 * with a retryable code is sent again with the next attempt, the others are returned as {@link EntryFailure}s.
 */
public record SdkLakeFormation(LakeFormationClient client, AwsRetry retry, String catalogId) implements LakeFormation {

    /** BatchGrantPermissions and BatchRevokePermissions take at most 20 entries. */
    public static final int BATCH_SIZE = 20;

    private SdkResources model() {
        return new SdkResources(catalogId);
    }

    @Override
    public Optional<List<String>> tagValues(String key) {
        // An LF-Tag has at least one value on AWS; moto answers an unknown key with no values instead of
        // EntityNotFoundException, so no values means no tag.
        return retry.callIfFound("GetLFTag", () -> client.getLFTag(request -> request.tagKey(key)).tagValues(), EntityNotFoundException.class)
                .filter(values -> !values.isEmpty());
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
        return assignedTags(TagTarget.database(database)).flatMap(response -> value(response.lfTagOnDatabase(), key));
    }

    @Override
    public TableTags tableTags(String database, String table, String key) {
        return assignedTags(TagTarget.table(database, table)).map(response -> {
            Map<String, String> columns = new LinkedHashMap<>();
            for (ColumnLFTag column : response.lfTagsOnColumns()) {
                value(column.lfTags(), key).ifPresent(value -> columns.put(column.name(), value));
            }
            return new TableTags(value(response.lfTagsOnTable(), key), columns);
        }).orElse(TableTags.none());
    }

    /** The tags assigned to the target itself (not inherited); empty when it does not exist. */
    private Optional<GetResourceLfTagsResponse> assignedTags(TagTarget target) {
        Resource resource = model().resource(target.resource());
        return retry.callIfFound("GetResourceLFTags", () -> client.getResourceLFTags(request -> request.resource(resource)
                .showAssignedLFTags(true)), EntityNotFoundException.class);
    }

    private static Optional<String> value(List<LFTagPair> tags, String key) {
        return tags.stream().filter(tag -> tag.tagKey().equals(key)).flatMap(tag -> tag.tagValues().stream()).findFirst();
    }

    @Override
    public List<EntryFailure> addTag(TagTarget target, String key, String value) {
        return tagCall("assign", target, key, value, (resource, pair) ->
                client.addLFTagsToResource(request -> request.resource(resource).lfTags(pair)).failures());
    }

    @Override
    public List<EntryFailure> removeTag(TagTarget target, String key, String value) {
        return tagCall("remove", target, key, value, (resource, pair) ->
                client.removeLFTagsFromResource(request -> request.resource(resource).lfTags(pair)).failures());
    }

    /** AddLFTagsToResource and RemoveLFTagsFromResource report per-tag failures inside a successful response. */
    private List<EntryFailure> tagCall(String verb, TagTarget target, String key, String value,
            BiFunction<Resource, LFTagPair, List<LFTagError>> call) {
        Resource resource = model().resource(target.resource());
        LFTagPair pair = LFTagPair.builder().catalogId(catalogId).tagKey(key).tagValues(value).build();
        return retry.callPerEntry(verb + " LF-Tag", List.of(resource), resources -> call.apply(resource, pair),
                        error -> Optional.of(resource), error -> error.error().errorCode()).stream()
                .map(error -> new EntryFailure(verb + " " + key + "=" + value + " on " + target, error.error().errorCode(),
                        error.error().errorMessage()))
                .toList();
    }

    @Override
    public List<Grant> grants() {
        // Unfiltered: the sharer converges every grant it owns, wherever it is; moto and AWS both answer this form.
        return retry.call("ListPermissions", () -> client.listPermissionsPaginator(request -> { }).stream()
                .flatMap(page -> page.principalResourcePermissions().stream()).flatMap(permission -> SdkResources.grants(permission).stream())
                .toList());
    }

    @Override
    public List<EntryFailure> batchGrant(List<Grant> grants) {
        return batch("grant", grants, entries -> client.batchGrantPermissions(request -> request.entries(entries)).failures());
    }

    @Override
    public List<EntryFailure> batchRevoke(List<Grant> grants) {
        return batch("revoke", grants, entries -> client.batchRevokePermissions(request -> request.entries(entries)).failures());
    }

    private List<EntryFailure> batch(String verb, List<Grant> grants,
            Function<List<BatchPermissionsRequestEntry>, List<BatchPermissionsFailureEntry>> call) {
        List<EntryFailure> failures = new ArrayList<>();
        for (int from = 0; from < grants.size(); from += BATCH_SIZE) {
            Map<String, Grant> byId = new LinkedHashMap<>();
            Map<String, BatchPermissionsRequestEntry> entries = new LinkedHashMap<>();
            for (int i = from; i < Math.min(grants.size(), from + BATCH_SIZE); i++) {
                byId.put(Integer.toString(i), grants.get(i));
                entries.put(Integer.toString(i), model().entry(Integer.toString(i), grants.get(i)));
            }
            for (BatchPermissionsFailureEntry refused : retry.callPerEntry("Batch" + verb, List.copyOf(entries.values()), call,
                    failure -> Optional.ofNullable(id(failure)).map(entries::get), SdkLakeFormation::code)) {
                Grant grant = byId.get(id(refused));
                failures.add(new EntryFailure(verb + " " + (grant == null ? "entry " + id(refused) : grant), code(refused),
                        refused.error() == null ? "" : refused.error().errorMessage()));
            }
        }
        return failures;
    }

    private static String id(BatchPermissionsFailureEntry failure) {
        return failure.requestEntry() == null ? null : failure.requestEntry().id();
    }

    private static String code(BatchPermissionsFailureEntry failure) {
        return failure.error() == null ? "Unknown" : failure.error().errorCode();
    }

    @Override
    public List<CellsFilter> filters(String database) {
        return retry.call("ListDataCellsFilter", () -> client.listDataCellsFilterPaginator(request -> request.table(TableResource.builder()
                        .catalogId(catalogId).databaseName(database).tableWildcard(TableWildcard.builder().build()).build()))
                .dataCellsFilters().stream().filter(filter -> database.equals(filter.databaseName())).map(SdkResources::filter).toList());
    }

    @Override
    public void createFilter(CellsFilter filter) {
        retry.run("CreateDataCellsFilter", () -> client.createDataCellsFilter(request -> request.tableData(model().filter(filter))));
    }

    @Override
    public void updateFilter(CellsFilter filter) {
        retry.run("UpdateDataCellsFilter", () -> client.updateDataCellsFilter(request -> request.tableData(model().filter(filter))));
    }

    @Override
    public void deleteFilter(String database, String table, String name) {
        retry.run("DeleteDataCellsFilter", () -> client.deleteDataCellsFilter(request -> request.tableCatalogId(catalogId)
                .databaseName(database).tableName(table).name(name)));
    }
}
