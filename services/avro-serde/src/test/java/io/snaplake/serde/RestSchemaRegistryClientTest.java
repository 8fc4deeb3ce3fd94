package io.snaplake.serde;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.snaplake.events.SnapshotCreated;
import io.snaplake.testkit.LocalInfra;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class RestSchemaRegistryClientTest {

    @Test
    void triesTheNextUrl_whenARegistryCannotBeReached() throws Exception {
        URI nobodyListens = URI.create("http://127.0.0.1:" + closedPort());
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(
                List.of(nobodyListens, URI.create(LocalInfra.registry().url())), Optional.empty());
        String subject = "failover-" + System.nanoTime() + "-value";

        int id = client.register(subject, SnapshotCreated.getClassSchema());

        assertThat(client.schemaById(id)).isEqualTo(SnapshotCreated.getClassSchema());
    }

    /**
     * The local Apicurio runs without authentication, so it cannot show what it receives: a JDK HTTP
     * server stands in for the registry here and records the Authorization header (a test double).
     */
    @Test
    void sendsBasicAuth_fromConfluentsUserInfoProperties() throws Exception {
        List<String> authorizations = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = "{\"id\":7}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            AvroSerializer serializer = new AvroSerializer();
            serializer.configure(Map.of(
                    "schema.registry.url", "http://127.0.0.1:" + server.getAddress().getPort(),
                    "basic.auth.credentials.source", "USER_INFO",
                    "basic.auth.user.info", "snaplake:s3cret"), false);

            byte[] bytes = serializer.serialize("snaplake.snapshots.created", TestEvents.snapshotCreated());

            assertThat(authorizations).containsExactly("Basic c25hcGxha2U6czNjcmV0");
            assertThat(bytes).startsWith(0, 0, 0, 0, 7);
        } finally {
            server.stop(0);
        }
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
