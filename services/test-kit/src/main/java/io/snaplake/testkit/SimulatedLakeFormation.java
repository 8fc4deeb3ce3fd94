package io.snaplake.testkit;

import static io.snaplake.testkit.LakeFormationJson.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.snaplake.testkit.LakeFormationJson.LakeFormationError;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * A Lake Formation endpoint in the JVM, speaking the service's REST-JSON wire protocol to the real AWS SDK
 * client, where moto's Lake Formation falls short of what the sharer must prove (docs/design/test-kit.md).
 * It keeps LF-Tags, grants and data cells filters in memory with the checks that matter to the sharer; tests
 * can have it refuse batch entries ({@link #refuseGrants}) or answer ConcurrentModificationException
 * ({@link #raceNextEntries}), and read every request it served.
 */
public final class SimulatedLakeFormation implements AutoCloseable {

    private final HttpServer server;
    private final LakeFormationTags tags = new LakeFormationTags();
    private final LakeFormationFilters filters = new LakeFormationFilters();
    private final LakeFormationGrants grants = new LakeFormationGrants(tags, filters);
    private final List<Request> requests = new ArrayList<>();

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
        grants.refuse(entry, errorCode);
    }

    /** The next {@code entries} batch entries are refused with ConcurrentModificationException (then accepted). */
    public synchronized void raceNextEntries(int entries) {
        grants.raceNext(entries);
    }

    public synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Every grant held now, as ListPermissions answers it. */
    public synchronized List<JsonNode> permissions() {
        List<JsonNode> all = new ArrayList<>();
        grants.list().get("PrincipalResourcePermissions").forEach(all::add);
        return all;
    }

    /** Every data cells filter held now, as ListDataCellsFilter answers it. */
    public synchronized List<JsonNode> dataCellsFilters() {
        return filters.all();
    }

    public synchronized void reset() {
        tags.clear();
        grants.clear();
        filters.clear();
        requests.clear();
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
            body = bytes.length == 0 ? LakeFormationJson.object() : JSON.readTree(bytes);
        }
        int status = 200;
        JsonNode answer;
        try {
            synchronized (this) {
                requests.add(new Request(operation, body));
                answer = dispatch(operation, body);
            }
        } catch (LakeFormationError e) {
            status = e.status;
            answer = LakeFormationJson.object().put("message", e.getMessage()).put("__type", e.code);
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
            case "GetLFTag" -> tags.getTag(body);
            case "CreateLFTag" -> tags.createTag(body);
            case "UpdateLFTag" -> tags.updateTag(body);
            case "AddLFTagsToResource" -> tags.changeResourceTags(body, true);
            case "RemoveLFTagsFromResource" -> tags.changeResourceTags(body, false);
            case "GetResourceLFTags" -> tags.resourceTags(body);
            case "ListPermissions" -> grants.list();
            case "BatchGrantPermissions" -> grants.batch(body, true);
            case "BatchRevokePermissions" -> grants.batch(body, false);
            case "GrantPermissions", "RevokePermissions" -> grants.single(body, operation.equals("GrantPermissions"));
            case "CreateDataCellsFilter" -> filters.create(body);
            case "UpdateDataCellsFilter" -> filters.update(body);
            case "DeleteDataCellsFilter" -> filters.delete(body);
            case "ListDataCellsFilter" -> filters.list(body);
            default -> throw new LakeFormationError(404, "UnknownOperationException",
                    "SimulatedLakeFormation does not implement " + operation);
        };
    }
}
