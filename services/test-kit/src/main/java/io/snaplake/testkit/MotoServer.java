package io.snaplake.testkit;

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
import java.util.Locale;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * moto's AWS emulator, started where it can run: in a {@code motoserver/moto} container (Testcontainers)
 * where a Docker engine answers, otherwise as a child process on a free loopback port: moto's
 * application behind snaplake's keep-alive front ({@code moto_front.py}), run by the Python beside
 * {@code moto_server} (found on the PATH, then in pyenv's shims, since a CI shell may not have read
 * ~/.bashrc). {@code SNAPLAKE_MOTO=docker|process} forces one; {@code SNAPLAKE_MOTO_FRONT=plain} runs
 * moto's own {@code moto_server} instead of the front; {@code
 * SNAPLAKE_MOTO_IMAGE} overrides the image. Point SDK clients at {@link #endpoint()} with an endpoint
 * override.
 */
public final class MotoServer implements AutoCloseable {

    /** moto 5, as installed here and in docker-compose.yml. */
    public static final String DEFAULT_IMAGE = "motoserver/moto:5.1.4";

    private static final Logger log = LoggerFactory.getLogger(MotoServer.class);
    private static final Duration START_TIMEOUT = Duration.ofMinutes(1);
    private static final String READINESS_PATH = "/moto-api/";
    private static final int CONTAINER_PORT = 5000;

    /** Where moto runs: {@code auto} picks Docker when an engine answers. */
    enum Backend {
        AUTO, DOCKER, PROCESS;

        static Backend fromEnvironment(String value) {
            if (value == null || value.isBlank()) {
                return AUTO;
            }
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new LocalInfraException("SNAPLAKE_MOTO must be auto, docker or process, got '" + value + "'");
            }
        }

        /** The backend to use, given whether a Docker engine answers (asked only when it matters). */
        Backend resolve(BooleanSupplier dockerAvailable) {
            return switch (this) {
                case AUTO -> dockerAvailable.getAsBoolean() ? DOCKER : PROCESS;
                case DOCKER -> {
                    if (!dockerAvailable.getAsBoolean()) {
                        throw new LocalInfraException("SNAPLAKE_MOTO=docker, but no Docker engine answers"
                                + " (Testcontainers found none); unset it to run moto_server as a process");
                    }
                    yield DOCKER;
                }
                case PROCESS -> PROCESS;
            };
        }
    }

    private final URI endpoint;
    private final AutoCloseable backend;
    private final HttpClient http = HttpClient.newHttpClient();

    private MotoServer(URI endpoint, AutoCloseable backend) {
        this.endpoint = endpoint;
        this.backend = backend;
    }

    public static MotoServer start() {
        Backend backend = Backend.fromEnvironment(System.getenv("SNAPLAKE_MOTO")).resolve(MotoServer::dockerAvailable);
        return backend == Backend.DOCKER ? startContainer() : start(FreePorts.next());
    }

    /**
     * moto as a child process on {@code port}: moto's application behind snaplake's keep-alive front
     * ({@code moto_front.py}: several times {@code moto_server}'s S3 throughput, see its header and docs/testing.md),
     * run by the Python that has moto installed; {@code SNAPLAKE_MOTO_FRONT=plain}, or no such Python,
     * runs moto's own {@code moto_server}.
     */
    public static MotoServer start(int port) {
        List<String> command = new ArrayList<>(launcher(System.getenv("SNAPLAKE_MOTO_FRONT")));
        command.addAll(List.of("-H", "127.0.0.1", "-p", Integer.toString(port)));
        ChildProcess process = ChildProcess.builder("moto", command).start();
        MotoServer moto = new MotoServer(URI.create("http://127.0.0.1:" + port), process);
        process.awaitReady(Readiness.http(moto.endpoint.resolve(READINESS_PATH)), START_TIMEOUT);
        return moto;
    }

    private static MotoServer startContainer() {
        String image = Optional.ofNullable(System.getenv("SNAPLAKE_MOTO_IMAGE")).filter(s -> !s.isBlank()).orElse(DEFAULT_IMAGE);
        log.info("Starting moto in a Docker container ({})", image);
        GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(image))
                .withExposedPorts(CONTAINER_PORT)
                .waitingFor(Wait.forHttp(READINESS_PATH).forStatusCode(200))
                .withStartupTimeout(START_TIMEOUT);
        try {
            container.start();
        } catch (RuntimeException e) {
            container.close();
            throw new LocalInfraException("Could not start moto in a container from " + image + ": " + e.getMessage(), e);
        }
        return new MotoServer(URI.create("http://" + container.getHost() + ":" + container.getMappedPort(CONTAINER_PORT)),
                container);
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            log.debug("No Docker engine: {}", e.toString());
            return false;
        }
    }

    private static List<String> launcher(String front) {
        Optional<Path> motoServer = motoServerScript();
        if ("plain".equalsIgnoreCase(front)) {
            return plainLauncher(motoServer);
        }
        if (front != null && !front.isBlank() && !"snaplake".equalsIgnoreCase(front)) {
            throw new LocalInfraException("SNAPLAKE_MOTO_FRONT must be snaplake or plain, got '" + front + "'");
        }
        Optional<String> python = PythonWithMoto.find(motoServer);
        if (python.isEmpty()) {
            log.warn("No Python that imports moto found beside {}; running moto's own moto_server (slower)",
                    motoServer.map(Path::toString).orElse("python3 -m moto.server"));
            return plainLauncher(motoServer);
        }
        return List.of(python.get(), PythonWithMoto.frontScript().toString());
    }

    /** moto's own server: the moto_server script, or the module when no script was found. */
    private static List<String> plainLauncher(Optional<Path> motoServer) {
        return motoServer.map(path -> List.of(path.toString())).orElse(List.of("python3", "-m", "moto.server"));
    }

    /** moto_server on the PATH, then in pyenv's shims (a CI shell may not have read ~/.bashrc). */
    private static Optional<Path> motoServerScript() {
        Stream<Path> onPath = Stream.of(Optional.ofNullable(System.getenv("PATH")).orElse("").split(File.pathSeparator))
                .filter(s -> !s.isBlank())
                .map(dir -> Paths.get(dir, "moto_server"));
        Path pyenvShim = Paths.get(System.getProperty("user.home"), ".pyenv", "shims", "moto_server");
        return Stream.concat(onPath, Stream.of(pyenvShim)).filter(Files::isExecutable).findFirst();
    }

    /** Where SDK clients send requests, e.g. {@code http://127.0.0.1:41235}. */
    public URI endpoint() {
        return endpoint;
    }

    /** The moto_server process's log; empty when moto runs in a container (see {@code docker logs}). */
    public Optional<Path> logFile() {
        return backend instanceof ChildProcess process ? Optional.of(process.logFile()) : Optional.empty();
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
        try {
            backend.close();
        } catch (Exception e) {
            throw new LocalInfraException("Could not stop moto: " + e.getMessage(), e);
        }
    }
}
