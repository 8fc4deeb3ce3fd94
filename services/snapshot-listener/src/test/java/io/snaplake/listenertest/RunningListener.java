package io.snaplake.listenertest;

import io.snaplake.testkit.LocalInfra;
import io.snaplake.pipeline.Topic;
import io.snaplake.snapshotlistener.SnapshotListenerApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** The whole snapshot listener, started against the local Kafka, registry and moto; closed after the test. */
public final class RunningListener implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final ConfigurableApplicationContext context;

    private RunningListener(ConfigurableApplicationContext context) {
        this.context = context;
    }

    /** Starts the application with the local backends and {@code properties} (which win over application.yml). */
    public static RunningListener start(Map<String, String> properties) {
        LocalInfra.kafka().createTopics(Topic.SNAPSHOTS_CREATED.topicName());
        Map<String, String> all = new LinkedHashMap<>(LocalInfra.springProperties());
        all.put("server.port", "0");
        all.put("snaplake.listener.queue.wait-time", "1s");
        all.putAll(properties);
        // Command-line arguments, because default properties would lose to application.yml.
        String[] args = all.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        return new RunningListener(new SpringApplicationBuilder(SnapshotListenerApplication.class, FixedClockConfiguration.class)
                .run(args));
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    /** GETs a path of the running listener; returns status and body. */
    public HttpResponse<String> get(String path) {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** POSTs a JSON body to the running listener; returns status and body. */
    public HttpResponse<String> post(String path, String json) {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        context.close();
    }
}
