package io.snaplake.localinfra;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * moto's AWS emulator ({@code moto_server}) as a child process on a free loopback port. Found on the
 * PATH, then in pyenv's shims (a CI shell may not have read ~/.bashrc), then as {@code python3 -m
 * moto.server}. Point SDK clients at {@link #endpoint()} with an endpoint override.
 */
public final class MotoServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(1);

    private final URI endpoint;
    private final ChildProcess process;
    private final HttpClient http = HttpClient.newHttpClient();

    private MotoServer(URI endpoint, ChildProcess process) {
        this.endpoint = endpoint;
        this.process = process;
    }

    public static MotoServer start() {
        return start(FreePorts.next());
    }

    public static MotoServer start(int port) {
        List<String> command = new ArrayList<>(launcher());
        command.addAll(List.of("-H", "127.0.0.1", "-p", Integer.toString(port)));
        ChildProcess process = ChildProcess.start("moto", command, null);
        MotoServer moto = new MotoServer(URI.create("http://127.0.0.1:" + port), process);
        process.awaitHttpReady(moto.endpoint.resolve("/moto-api/"), START_TIMEOUT);
        return moto;
    }

    private static List<String> launcher() {
        Stream<Path> onPath = Stream.of(Optional.ofNullable(System.getenv("PATH")).orElse("").split(File.pathSeparator))
                .filter(s -> !s.isBlank())
                .map(dir -> Paths.get(dir, "moto_server"));
        Path pyenvShim = Paths.get(System.getProperty("user.home"), ".pyenv", "shims", "moto_server");
        return Stream.concat(onPath, Stream.of(pyenvShim))
                .filter(Files::isExecutable)
                .findFirst()
                .map(path -> List.of(path.toString()))
                .orElse(List.of("python3", "-m", "moto.server"));
    }

    /** Where SDK clients send requests, e.g. {@code http://127.0.0.1:41235}. */
    public URI endpoint() {
        return endpoint;
    }

    public Path logFile() {
        return process.logFile();
    }

    /** Forgets every resource in every service, so the next test starts from an empty account. */
    public void reset() {
        post("/moto-api/reset", "");
    }

    /**
     * Calls moto's own API, e.g. {@code post("/moto-api/state-manager/set-transition", json)} to let a
     * Glue crawl finish after some seconds.
     */
    public String post(String path, String body) {
        HttpRequest request = HttpRequest.newBuilder(endpoint.resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(30))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                throw new LocalInfraException("moto answered " + path + " with HTTP " + response.statusCode() + ": "
                        + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new LocalInfraException("Could not call moto at " + endpoint.resolve(path), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalInfraException("Interrupted while calling moto", e);
        }
    }

    @Override
    public void close() {
        process.close();
    }
}
