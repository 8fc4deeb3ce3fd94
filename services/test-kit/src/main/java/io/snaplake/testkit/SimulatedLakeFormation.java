package io.snaplake.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * A Lake Formation endpoint in the JVM, speaking the service's REST-JSON wire protocol to the real AWS SDK
 * client (POST /{Operation}, JSON bodies, errors named in {@code x-amzn-errortype}).
 *
 * <p>It exists because moto's Lake Formation falls short of what the sharer must prove: moto has no
 * CreateDataCellsFilter/GetDataCellsFilter (HTTP 404), ListDataCellsFilter always answers [], a grant on a
 * filter that does not exist is accepted, GetResourceLFTags on a table whose columns alone are tagged fails
 * with HTTP 500, and no batch entry is ever refused. This double keeps LF-Tags, their assignments to
 * databases, tables and columns, grants, and data cells filters in memory, with the checks that matter to
 * the sharer: a tag value must exist before it is assigned or used in a grant, a grant on a data cells filter
 * needs the filter. Tests can have it refuse batch entries ({@link #refuseGrants}) or answer
 * ConcurrentModificationException ({@link #raceNextEntries}), and read every request it served.
 *
 * <p>Operations: GetLFTag, CreateLFTag, UpdateLFTag, AddLFTagsToResource, RemoveLFTagsFromResource,
 * GetResourceLFTags, ListPermissions, BatchGrantPermissions, BatchRevokePermissions, GrantPermissions,
 * RevokePermissions, CreateDataCellsFilter, UpdateDataCellsFilter, DeleteDataCellsFilter, ListDataCellsFilter.
 */
public final class SimulatedLakeFormation implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private final HttpServer server;
    private final Map<String, List<String>> tags = new TreeMap<>();
    /** Assigned tag values per resource key ("db", "db/table", "db/table/column"), per tag key. */
    private final Map<String, Map<String, String>> assigned = new TreeMap<>();
    /** Grants: (principal, canonical resource) -> permission -> with grant option. */
    private final Map<List<String>, Map<String, Boolean>> grants = new LinkedHashMap<>();
    private final Map<String, JsonNode> filters = new TreeMap<>();
    private final List<Request> requests = new ArrayList<>();
    private Predicate<JsonNode> refused = entry -> false;
    private String refusalCode = "InvalidInputException";
    private int racesLeft;

    /** A request the double served: the operation and its JSON body. */
    public record Request(String operation, JsonNode body) {
    }

    private SimulatedLakeFormation(HttpServer server) {
        this.server = server;
    }

    public static SimulatedLakeFormation start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            SimulatedLakeFormation double_ = new SimulatedLakeFormation(server);
            server.createContext("/", double_::handle);
            server.setExecutor(Executors.newFixedThreadPool(2, runnable -> {
                Thread thread = new Thread(runnable, "simulated-lakeformation");
                thread.setDaemon(true);
                return thread;
            }));
            server.start();
            return double_;
        } catch (IOException e) {
            throw new LocalInfraException("could not start the simulated Lake Formation endpoint", e);
        }
    }

    public URI endpoint() {
        return URI.create("http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort());
    }

    /** Batch grant and revoke entries matching {@code entry} are refused with {@code errorCode}, inside a 200 answer. */
    public synchronized void refuseGrants(Predicate<JsonNode> entry, String errorCode) {
        this.refused = entry;
        this.refusalCode = errorCode;
    }

    /** The next {@code entries} batch entries are refused with ConcurrentModificationException (then accepted). */
    public synchronized void raceNextEntries(int entries) {
        this.racesLeft = entries;
    }

    public synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Every grant held now, as ListPermissions answers it. */
    public synchronized List<JsonNode> permissions() {
        List<JsonNode> all = new ArrayList<>();
        listPermissions().get("PrincipalResourcePermissions").forEach(all::add);
        return all;
    }

    /** Every data cells filter held now, as ListDataCellsFilter answers it. */
    public synchronized List<JsonNode> dataCellsFilters() {
        return List.copyOf(filters.values());
    }

    public synchronized void reset() {
        tags.clear();
        assigned.clear();
        grants.clear();
        filters.clear();
        requests.clear();
        refused = entry -> false;
        racesLeft = 0;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String operation = exchange.getRequestURI().getPath().substring(1);
        JsonNode body;
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readAllBytes();
            body = bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
        }
        int status = 200;
        JsonNode answer;
        try {
            synchronized (this) {
                requests.add(new Request(operation, body));
                answer = dispatch(operation, body);
            }
        } catch (LfError e) {
            status = e.status;
            answer = JSON.createObjectNode().put("message", e.getMessage()).put("__type", e.code);
            exchange.getResponseHeaders().add("x-amzn-errortype", e.code);
        }
        byte[] bytes = JSON.writeValueAsBytes(answer);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private JsonNode dispatch(String operation, JsonNode body) {
        return switch (operation) {
            case "GetLFTag" -> getTag(body);
            case "CreateLFTag" -> createTag(body);
            case "UpdateLFTag" -> updateTag(body);
            case "AddLFTagsToResource" -> changeResourceTags(body, true);
            case "RemoveLFTagsFromResource" -> changeResourceTags(body, false);
            case "GetResourceLFTags" -> resourceTags(body);
            case "ListPermissions" -> listPermissions();
            case "BatchGrantPermissions" -> batch(body, true);
            case "BatchRevokePermissions" -> batch(body, false);
            case "GrantPermissions", "RevokePermissions" -> single(body, operation.equals("GrantPermissions"));
            case "CreateDataCellsFilter" -> createFilter(body);
            case "UpdateDataCellsFilter" -> updateFilter(body);
            case "DeleteDataCellsFilter" -> deleteFilter(body);
            case "ListDataCellsFilter" -> listFilters(body);
            default -> throw new LfError(404, "UnknownOperationException", "SimulatedLakeFormation does not implement " + operation);
        };
    }

    private JsonNode getTag(JsonNode body) {
        String key = body.path("TagKey").asText();
        List<String> values = tags.get(key);
        if (values == null) {
            throw new LfError(400, "EntityNotFoundException", "Tag or tag value does not exist: " + key);
        }
        ObjectNode answer = JSON.createObjectNode().put("TagKey", key);
        values.forEach(answer.putArray("TagValues")::add);
        return answer;
    }

    private JsonNode createTag(JsonNode body) {
        String key = body.path("TagKey").asText();
        if (tags.containsKey(key)) {
            throw new LfError(400, "AlreadyExistsException", "Tag key already exists: " + key);
        }
        tags.put(key, new ArrayList<>(strings(body.path("TagValues"))));
        return JSON.createObjectNode();
    }

    private JsonNode updateTag(JsonNode body) {
        String key = body.path("TagKey").asText();
        List<String> values = tags.get(key);
        if (values == null) {
            throw new LfError(400, "EntityNotFoundException", "Tag does not exist: " + key);
        }
        strings(body.path("TagValuesToAdd")).stream().filter(value -> !values.contains(value)).forEach(values::add);
        values.removeAll(strings(body.path("TagValuesToDelete")));
        return JSON.createObjectNode();
    }

    private JsonNode changeResourceTags(JsonNode body, boolean add) {
        List<String> targets = tagTargets(body.path("Resource"));
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode failures = answer.putArray("Failures");
        for (JsonNode tag : body.path("LFTags")) {
            String key = tag.path("TagKey").asText();
            List<String> values = strings(tag.path("TagValues"));
            if (!tags.containsKey(key) || values.size() != 1 || !tags.get(key).contains(values.get(0))) {
                ObjectNode failure = failures.addObject();
                failure.set("LFTag", tag);
                failure.putObject("Error").put("ErrorCode", "InvalidInputException")
                        .put("ErrorMessage", "Tag or tag value does not exist: " + key + "=" + values);
                continue;
            }
            for (String target : targets) {
                if (add) {
                    assigned.computeIfAbsent(target, t -> new TreeMap<>()).put(key, values.get(0));
                } else if (values.get(0).equals(assigned.getOrDefault(target, Map.of()).get(key))) {
                    assigned.get(target).remove(key);
                }
            }
        }
        return answer;
    }

    private List<String> tagTargets(JsonNode resource) {
        if (resource.has("Database")) {
            return List.of(resource.path("Database").path("Name").asText());
        }
        if (resource.has("Table")) {
            JsonNode table = resource.path("Table");
            return List.of(table.path("DatabaseName").asText() + "/" + table.path("Name").asText());
        }
        if (resource.has("TableWithColumns")) {
            JsonNode table = resource.path("TableWithColumns");
            String prefix = table.path("DatabaseName").asText() + "/" + table.path("Name").asText() + "/";
            return strings(table.path("ColumnNames")).stream().map(column -> prefix + column).toList();
        }
        throw new LfError(400, "InvalidInputException", "unsupported resource for LF-Tags: " + resource);
    }

    private JsonNode resourceTags(JsonNode body) {
        JsonNode resource = body.path("Resource");
        ObjectNode answer = JSON.createObjectNode();
        if (resource.has("Database")) {
            answer.set("LFTagOnDatabase", pairs(assigned.getOrDefault(resource.path("Database").path("Name").asText(), Map.of())));
            return answer;
        }
        JsonNode table = resource.has("Table") ? resource.path("Table") : resource.path("TableWithColumns");
        String prefix = table.path("DatabaseName").asText() + "/" + table.path("Name").asText();
        answer.set("LFTagsOnTable", pairs(assigned.getOrDefault(prefix, Map.of())));
        ArrayNode columns = answer.putArray("LFTagsOnColumns");
        assigned.forEach((target, values) -> {
            if (target.startsWith(prefix + "/") && !values.isEmpty()) {
                ObjectNode column = columns.addObject().put("Name", target.substring(prefix.length() + 1));
                column.set("LFTags", pairs(values));
            }
        });
        return answer;
    }

    private static ArrayNode pairs(Map<String, String> values) {
        ArrayNode pairs = JSON.createArrayNode();
        values.forEach((key, value) -> pairs.addObject().put("TagKey", key).putArray("TagValues").add(value));
        return pairs;
    }

    private ObjectNode listPermissions() {
        ObjectNode answer = JSON.createObjectNode();
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

    private JsonNode batch(JsonNode body, boolean grant) {
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode failures = answer.putArray("Failures");
        if (body.path("Entries").size() > 20) {
            throw new LfError(400, "InvalidInputException", "Entries: at most 20 entries, got " + body.path("Entries").size());
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
                } catch (LfError e) {
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

    private JsonNode single(JsonNode body, boolean grant) {
        apply(body, grant);
        return JSON.createObjectNode();
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
        if (resource.has("DataCellsFilter")) {
            JsonNode filter = resource.path("DataCellsFilter");
            String id = filter.path("DatabaseName").asText() + "/" + filter.path("TableName").asText() + "/" + filter.path("Name").asText();
            if (!filters.containsKey(id)) {
                throw new LfError(400, "EntityNotFoundException", "Data cells filter not found: " + id);
            }
        }
        if (resource.has("LFTagPolicy")) {
            for (JsonNode condition : resource.path("LFTagPolicy").path("Expression")) {
                List<String> values = tags.get(condition.path("TagKey").asText());
                if (values == null || !values.containsAll(strings(condition.path("TagValues")))) {
                    throw new LfError(400, "InvalidInputException", "Tag or tag value does not exist: " + condition);
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

    private JsonNode createFilter(JsonNode body) {
        JsonNode data = body.path("TableData");
        String id = filterId(data);
        if (filters.containsKey(id)) {
            throw new LfError(400, "AlreadyExistsException", "Data cells filter already exists: " + id);
        }
        filters.put(id, data);
        return JSON.createObjectNode();
    }

    private JsonNode updateFilter(JsonNode body) {
        JsonNode data = body.path("TableData");
        String id = filterId(data);
        if (!filters.containsKey(id)) {
            throw new LfError(400, "EntityNotFoundException", "Data cells filter not found: " + id);
        }
        filters.put(id, data);
        return JSON.createObjectNode();
    }

    private JsonNode deleteFilter(JsonNode body) {
        String id = filterId(body);
        if (filters.remove(id) == null) {
            throw new LfError(400, "EntityNotFoundException", "Data cells filter not found: " + id);
        }
        return JSON.createObjectNode();
    }

    private JsonNode listFilters(JsonNode body) {
        JsonNode table = body.path("Table");
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode list = answer.putArray("DataCellsFilters");
        filters.values().stream()
                .filter(filter -> table.isMissingNode() || filter.path("DatabaseName").asText().equals(table.path("DatabaseName").asText()))
                .filter(filter -> table.isMissingNode() || !table.has("Name") || filter.path("TableName").asText().equals(table.path("Name").asText()))
                .forEach(list::add);
        return answer;
    }

    private static String filterId(JsonNode data) {
        return data.path("DatabaseName").asText() + "/" + data.path("TableName").asText() + "/" + data.path("Name").asText();
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    private static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(JSON.treeToValue(node, Object.class));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class LfError extends RuntimeException {
        private final int status;
        private final String code;

        LfError(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }
    }
}
