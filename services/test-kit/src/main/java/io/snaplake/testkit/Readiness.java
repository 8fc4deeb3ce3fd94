package io.snaplake.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * When a {@link ChildProcess} is ready for use: a condition polled until it holds, never a fixed sleep.
 *
 * @param description what is awaited, for the error when it never holds, e.g. {@code an answer from http://...}
 * @param check       the condition, asked with the process
 */
public record Readiness(String description, Predicate<ChildProcess> check) {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** {@code url} answers with a status below 500. */
    public static Readiness http(URI url) {
        return http(url, response -> response.statusCode() < 500);
    }

    /** {@code url} answers, and its answer passes {@code ready}, e.g. a health probe saying UP. */
    public static Readiness http(URI url, Predicate<HttpResponse<String>> ready) {
        return new Readiness("an answer from " + url, process -> {
            try {
                return ready.test(HTTP.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).GET().build(),
                        HttpResponse.BodyHandlers.ofString()));
            } catch (IOException notListeningYet) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
    }

    /** The process's output has a line matching {@code line}, e.g. the line that names its endpoint. */
    public static Readiness logLine(Pattern line) {
        return new Readiness("a line matching '" + line + "' in its output", process -> process.findLogLine(line).isPresent());
    }
}
