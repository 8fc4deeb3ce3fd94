package io.snaplake.testkit;

import static io.snaplake.testkit.LakeFormationJson.object;
import static io.snaplake.testkit.LakeFormationJson.read;
import static io.snaplake.testkit.LakeFormationJson.strings;
import static io.snaplake.testkit.LakeFormationJson.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.snaplake.testkit.LakeFormationJson.LakeFormationError;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * {@link SimulatedLakeFormation}'s grants, with the checks that matter to the sharer: a grant on a data cells
 * filter needs the filter, one on an LF-Tag policy needs the tag values. Batch entries can be refused or raced,
 * as a test asks. Not thread-safe: the double serialises calls.
 */
final class LakeFormationGrants {

    private static final int BATCH_LIMIT = 20;

    private final LakeFormationTags tags;
    private final LakeFormationFilters filters;
    /** (principal, canonical resource) -> permission -> with grant option. */
    private final Map<List<String>, Map<String, Boolean>> grants = new LinkedHashMap<>();
    private Predicate<JsonNode> refused = entry -> false;
    private String refusalCode = "InvalidInputException";
    private int racesLeft;

    LakeFormationGrants(LakeFormationTags tags, LakeFormationFilters filters) {
        this.tags = tags;
        this.filters = filters;
    }

    void refuse(Predicate<JsonNode> entry, String errorCode) {
        this.refused = entry;
        this.refusalCode = errorCode;
    }

    void raceNext(int entries) {
        this.racesLeft = entries;
    }

    void clear() {
        grants.clear();
        refused = entry -> false;
        racesLeft = 0;
    }

    /** ListPermissions: every grant held, with its permissions and those grantable. */
    ObjectNode list() {
        ObjectNode answer = object();
        ArrayNode list = answer.putArray("PrincipalResourcePermissions");
        grants.forEach((key, permissions) -> {
            if (permissions.isEmpty()) {
                return;
            }
            ObjectNode entry = list.addObject();
            entry.putObject("Principal").put("DataLakePrincipalIdentifier", key.get(0));
            entry.set("Resource", read(key.get(1)));
            ArrayNode all = entry.putArray("Permissions");
            ArrayNode grantable = entry.putArray("PermissionsWithGrantOption");
            permissions.forEach((permission, withGrantOption) -> {
                all.add(permission);
                if (withGrantOption) {
                    grantable.add(permission);
                }
            });
        });
        return answer;
    }

    /** BatchGrantPermissions ({@code grant}) or BatchRevokePermissions: failed entries come back in a 200 answer. */
    JsonNode batch(JsonNode body, boolean grant) {
        ObjectNode answer = object();
        ArrayNode failures = answer.putArray("Failures");
        if (body.path("Entries").size() > BATCH_LIMIT) {
            throw LakeFormationError.invalid("InvalidInputException", "Entries: at most " + BATCH_LIMIT + " entries, got "
                    + body.path("Entries").size());
        }
        for (JsonNode entry : body.path("Entries")) {
            String code = null;
            String message = null;
            if (racesLeft > 0) {
                racesLeft--;
                code = "ConcurrentModificationException";
                message = "Another permission change is in progress; try again";
            } else if (refused.test(entry)) {
                code = refusalCode;
                message = "refused by the test";
            } else {
                try {
                    apply(entry, grant);
                } catch (LakeFormationError e) {
                    code = e.code;
                    message = e.getMessage();
                }
            }
            if (code != null) {
                ObjectNode failure = failures.addObject();
                failure.set("RequestEntry", entry);
                failure.putObject("Error").put("ErrorCode", code).put("ErrorMessage", message);
            }
        }
        return answer;
    }

    /** GrantPermissions ({@code grant}) or RevokePermissions. */
    JsonNode single(JsonNode body, boolean grant) {
        apply(body, grant);
        return object();
    }

    private void apply(JsonNode entry, boolean grant) {
        String principal = entry.path("Principal").path("DataLakePrincipalIdentifier").asText();
        JsonNode resource = canonical(entry.path("Resource"));
        if (grant) {
            checkGrantable(resource);
        }
        List<String> key = List.of(principal, write(resource));
        List<String> withGrantOption = strings(entry.path("PermissionsWithGrantOption"));
        for (String permission : strings(entry.path("Permissions"))) {
            if (grant) {
                grants.computeIfAbsent(key, k -> new TreeMap<>()).put(permission, withGrantOption.contains(permission));
            } else if (grants.containsKey(key)) {
                grants.get(key).remove(permission);
            }
        }
    }

    private void checkGrantable(JsonNode resource) {
        if (resource.has("DataCellsFilter") && !filters.exists(resource.path("DataCellsFilter"))) {
            throw LakeFormationFilters.notFound(LakeFormationFilters.id(resource.path("DataCellsFilter")));
        }
        if (resource.has("LFTagPolicy")) {
            for (JsonNode condition : resource.path("LFTagPolicy").path("Expression")) {
                if (!tags.hasValues(condition.path("TagKey").asText(), strings(condition.path("TagValues")))) {
                    throw LakeFormationError.invalid("InvalidInputException", "Tag or tag value does not exist: " + condition);
                }
            }
        }
    }

    /** The resource without catalog ids (always the caller's here), so that equal resources compare equal. */
    private static JsonNode canonical(JsonNode resource) {
        JsonNode copy = resource.deepCopy();
        strip(copy);
        return read(write(copy));
    }

    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove("CatalogId");
            object.remove("TableCatalogId");
            for (Iterator<JsonNode> children = object.elements(); children.hasNext(); ) {
                strip(children.next());
            }
        }
    }
}
