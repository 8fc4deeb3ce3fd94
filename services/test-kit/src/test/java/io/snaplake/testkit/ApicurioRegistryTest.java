package io.snaplake.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ApicurioRegistryTest {

    private static final String V1 = "{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"Thing\\\",\\\"fields\\\":[{\\\"name\\\":\\\"id\\\",\\\"type\\\":\\\"string\\\"}]}";
    private static final String V2_WITHOUT_DEFAULT = "{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"Thing\\\",\\\"fields\\\":[{\\\"name\\\":\\\"id\\\",\\\"type\\\":\\\"string\\\"},{\\\"name\\\":\\\"size\\\",\\\"type\\\":\\\"long\\\"}]}";

    private final ApicurioRegistry registry = LocalInfra.registry();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void servesTheConfluentApi_withBackwardCompatibility() throws Exception {
        HttpResponse<String> config = send("GET", "/config", null);

        assertThat(config.statusCode()).isEqualTo(200);
        assertThat(config.body()).isEqualTo("{\"compatibilityLevel\":\"BACKWARD\"}");
    }

    @Test
    void registersASchema_andReadsItBackById() throws Exception {
        String subject = "thing-" + UUID.randomUUID() + "-value";

        HttpResponse<String> registered = send("POST", "/subjects/" + subject + "/versions", "{\"schema\":\"" + V1 + "\"}");
        assertThat(registered.statusCode()).isEqualTo(200);
        String id = registered.body().replaceAll("\\D", "");

        HttpResponse<String> byId = send("GET", "/schemas/ids/" + id, null);
        assertThat(byId.statusCode()).isEqualTo(200);
        assertThat(byId.body()).isEqualTo("{\"schema\":\"" + V1 + "\"}");
    }

    @Test
    void rejectsABackwardIncompatibleVersion_withHttp409() throws Exception {
        String subject = "thing-" + UUID.randomUUID() + "-value";
        assertThat(send("POST", "/subjects/" + subject + "/versions", "{\"schema\":\"" + V1 + "\"}").statusCode())
                .isEqualTo(200);

        // A new field without a default cannot be read from old records: not BACKWARD compatible.
        HttpResponse<String> rejected = send("POST", "/subjects/" + subject + "/versions",
                "{\"schema\":\"" + V2_WITHOUT_DEFAULT + "\"}");

        assertThat(rejected.statusCode()).isEqualTo(409);
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(registry.url() + path))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
