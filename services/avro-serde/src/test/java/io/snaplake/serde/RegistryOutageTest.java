package io.snaplake.serde;

import static io.snaplake.serde.SerdeFixtures.freshTopic;
import static io.snaplake.serde.SerdeFixtures.serializer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A registry that cannot answer is an outage ({@link SchemaRegistryUnavailableException}), never mistaken for
 * bad data: consumers wait an outage out and dead-letter only poison. The poison side (a schema id the real
 * Apicurio says does not exist) is in {@link AvroDeserializerErrorsTest}.
 */
class RegistryOutageTest {

    private final String topic = freshTopic();

    @Test
    void reportsAnOutage_namingTheTopic_whenNoRegistryListens() throws Exception {
        byte[] bytes = serializer().serialize(topic, TestEvents.snapshotCreated());
        int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
        AvroDeserializer deserializer = new AvroDeserializer();
        deserializer.configure(Map.of("schema.registry.url", "http://127.0.0.1:" + closedPort()), false);

        assertThatThrownBy(() -> deserializer.deserialize(topic, bytes))
                .isInstanceOf(SchemaRegistryUnavailableException.class)
                .hasMessageStartingWith("Record on topic '" + topic + "' names schema id " + id
                        + ", and the schema registry cannot answer now");
    }

    @Test
    void reportsAnOutage_namingTheTopic_whenTheSerializerCannotReachTheRegistry() throws Exception {
        AvroSerializer serializer = new AvroSerializer();
        serializer.configure(Map.of("schema.registry.url", "http://127.0.0.1:" + closedPort()), false);

        assertThatThrownBy(() -> serializer.serialize(topic, TestEvents.snapshotCreated()))
                .isInstanceOf(SchemaRegistryUnavailableException.class)
                .hasMessageStartingWith("Cannot write io.snaplake.events.SnapshotCreated to topic '" + topic + "'");
    }

    /**
     * Apicurio cannot be made to answer 503 or 429 on demand, so a JDK HTTP server stands in for a registry
     * (or the proxy in front of it) here and answers each status (a test double).
     */
    @ParameterizedTest(name = "HTTP {0} {1}")
    @CsvSource(delimiter = '|', value = {
            "503|{\"error_code\":50302,\"message\":\"Registry is starting\"}|true",
            "500|{\"error_code\":50001,\"message\":\"Error in the backend data store\"}|true",
            "429|Too Many Requests|true",
            "401|{\"error_code\":401,\"message\":\"Unauthorized\"}|true",
            "404|<html>no such backend</html>|true",
            "404|{\"error_code\":40403,\"message\":\"Schema 7 not found\"}|false"})
    void tellsAnOutageFromAnAnswerAboutTheData(int status, String body, boolean outage) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        try {
            AvroDeserializer deserializer = new AvroDeserializer();
            deserializer.configure(Map.of("schema.registry.url", "http://127.0.0.1:" + server.getAddress().getPort()), false);
            byte[] record = ByteBuffer.allocate(9).put((byte) 0).putInt(7).putInt(42).array();

            Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> deserializer.deserialize(topic, record));

            if (outage) {
                assertThat(thrown).isInstanceOf(SchemaRegistryUnavailableException.class)
                        .hasMessageContaining("topic '" + topic + "'").hasMessageContaining("HTTP " + status);
            } else {
                assertThat(thrown).isInstanceOf(UnknownSchemaIdException.class)
                        .isNotInstanceOf(SchemaRegistryUnavailableException.class)
                        .hasMessage("Record on topic '" + topic + "' names schema id 7, which the schema registry does not know");
            }
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
