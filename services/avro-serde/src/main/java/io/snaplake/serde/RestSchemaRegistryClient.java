package io.snaplake.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;

/**
 * The Confluent Schema Registry REST API over HTTP (works with Confluent, Karapace, Redpanda and
 * Apicurio's {@code /apis/ccompat/v7}). Base URLs are tried in order: the next one only when a registry
 * cannot be reached, never when one answers with an error. Every call goes to the network: wrap it in
 * {@link CachedSchemaRegistryClient}.
 *
 * <p>Errors are told apart for the consumers' sake: an answer about the data (404 with a registry error
 * code, 409, 422) is a {@link SchemaRegistryException}; a registry that cannot answer (unreachable, timeout,
 * 5xx, 408, 429, 401, 403, a bare 404) is a {@link SchemaRegistryUnavailableException}, an outage to wait out.
 *
 * <p>A schema registered with Confluent schema references ({@code references: [{name, subject, version}]})
 * names other schemas' types without defining them: each referenced version is fetched (recursively, each
 * once) and parsed before the schema that uses it.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {

    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<URI> baseUrls;
    private final Optional<String> authorization;
    private final HttpClient http;

    public RestSchemaRegistryClient(List<URI> baseUrls, Optional<String> basicAuthUserInfo) {
        this.baseUrls = baseUrls.stream().map(RestSchemaRegistryClient::withoutUserInfo).toList();
        this.authorization = basicAuthUserInfo.map(info ->
                "Basic " + Base64.getEncoder().encodeToString(info.getBytes(StandardCharsets.UTF_8)));
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    public static RestSchemaRegistryClient of(AvroSerdeConfig config) {
        return new RestSchemaRegistryClient(config.registryUrls(), config.basicAuthUserInfo());
    }

    @Override
    public int register(String subject, Schema schema) {
        try {
            return send("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema)).path("id").asInt();
        } catch (SchemaRegistryException e) {
            if (e.status() == 409) {
                throw new IncompatibleSchemaException(subject, e.getMessage());
            }
            throw e;
        }
    }

    @Override
    public int idOf(String subject, Schema schema) {
        return send("POST", "/subjects/" + encode(subject), schemaBody(schema)).path("id").asInt();
    }

    @Override
    public Schema schemaById(int id) {
        return parse(send("GET", "/schemas/ids/" + id, null), "schema id " + id);
    }

    @Override
    public RegisteredSchema latestVersion(String subject) {
        JsonNode answer = send("GET", "/subjects/" + encode(subject) + "/versions/latest", null);
        return new RegisteredSchema(subject, answer.path("version").asInt(), answer.path("id").asInt(),
                parse(answer, "the latest version of subject " + subject));
    }

    /** Parses an answer's {@code schema}, after the schemas its {@code references} name. */
    private Schema parse(JsonNode answer, String what) {
        Schema.Parser parser = new Schema.Parser();
        defineReferences(answer, parser, new HashSet<>(), what);
        return parse(parser, answer.path("schema").asText(), what);
    }

    /** Parses each referenced version into the parser, its own references first; each subject version once. */
    private void defineReferences(JsonNode answer, Schema.Parser parser, Set<String> defined, String what) {
        for (JsonNode reference : answer.path("references")) {
            String subject = reference.path("subject").asText();
            String version = reference.path("version").asText("latest");
            if (subject.isEmpty() || !defined.add(subject + "/" + version)) {
                continue;
            }
            String referenced = "reference '" + reference.path("name").asText() + "' (subject " + subject + " version "
                    + version + ") of " + what;
            JsonNode referencedAnswer = send("GET", "/subjects/" + encode(subject) + "/versions/" + encode(version), null);
            defineReferences(referencedAnswer, parser, defined, referenced);
            parse(parser, referencedAnswer.path("schema").asText(), referenced);
        }
    }

    private JsonNode send(String method, String path, String body) {
        List<String> unreachable = new ArrayList<>();
        for (URI base : baseUrls) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(REQUEST_TIMEOUT)
                    .header("Accept", CONTENT_TYPE + ", application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            if (body != null) {
                request.header("Content-Type", CONTENT_TYPE);
            }
            authorization.ifPresent(value -> request.header("Authorization", value));
            HttpResponse<String> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                unreachable.add(base + " (" + e + ")");
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryUnavailableException("Interrupted while calling the schema registry at " + base, e);
            }
            return answer(method, base + path, response);
        }
        throw new SchemaRegistryUnavailableException("No schema registry reachable for " + method + " " + path + ": "
                + unreachable, (Throwable) null);
    }

    private static JsonNode answer(String method, String url, HttpResponse<String> response) {
        JsonNode json;
        try {
            json = response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            json = JSON.createObjectNode();
        }
        if (response.statusCode() >= 200 && response.statusCode() < 300) {
            return json;
        }
        int status = response.statusCode();
        int errorCode = json.path("error_code").asInt(status);
        String message = method + " " + url + " answered HTTP " + status + ": " + json.path("message").asText(response.body());
        if (isOutage(status, errorCode)) {
            throw new SchemaRegistryUnavailableException(message, status, errorCode);
        }
        throw new SchemaRegistryException(message, status, errorCode);
    }

    /**
     * Whether the answer says the registry cannot serve now rather than something about the request: a
     * server error, a timeout or rate limit, refused credentials (they expire and are renewed), or a 404
     * without the registry's own 404xx code (a proxy or ingress whose registry is away).
     */
    private static boolean isOutage(int status, int errorCode) {
        return status >= 500 || status == 408 || status == 429 || status == 401 || status == 403
                || (status == 404 && errorCode / 100 != 404);
    }

    private static String schemaBody(Schema schema) {
        try {
            return JSON.writeValueAsString(Map.of("schema", schema.toString()));
        } catch (IOException e) {
            throw new SchemaRegistryException("Could not write the registry request for " + schema.getFullName(), e);
        }
    }

    private static Schema parse(Schema.Parser parser, String schema, String what) {
        try {
            return parser.parse(schema);
        } catch (AvroRuntimeException e) { // SchemaParseException, and errors of unresolved names
            throw new SchemaRegistryException("The schema registry returned an unreadable Avro schema for " + what + ": "
                    + e.getMessage(), e);
        }
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static URI withoutUserInfo(URI uri) {
        try {
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("Not a registry URL: " + uri, e);
        }
    }
}
